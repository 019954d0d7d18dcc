// Shapes of the control plane's answers (docs/api.md).

export interface Agent {
  id: string;
  name: string;
  status: "online" | "offline" | "revoked";
  connected: boolean;
  version: string | null;
  hostname: string | null;
  createdAt: string;
  connectedAt: string | null;
  lastHeartbeatAt: string | null;
  configVersionAcked: number;
  revokedAt: string | null;
}

export interface ConfigStatus {
  version: number;
  agents: { id: string; name: string; status: string; configVersionAcked: number; current: boolean }[];
}

export interface Connection {
  id: string;
  name: string;
  kind: string;
  listenHost: string;
  listenPort: number;
  target: string;
  database: string | null;
  username: string | null;
  secretRef: string | null;
  upstreamTls: string;
  policyId: string | null;
  recordingMode: string;
  offlineMode: string;
  allowPlaintextGrant: boolean;
  credentialStyle: string | null;
  options: Record<string, string>;
  agents: string[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Policy {
  id: string;
  name: string;
  description: string | null;
  document: Record<string, unknown>;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface IdentityProvider {
  id: string;
  alias: string;
  kind: "oidc" | "saml";
  displayName: string | null;
  issuerUrl: string | null;
  metadataUrl: string | null;
  /** Set when the provider was given its SAML metadata: the entity and sign-in URL it names. */
  samlEntityId: string | null;
  samlSsoUrl: string | null;
  clientId: string | null;
  clientSecretSet: boolean;
  groupMapping: Record<string, string>;
  enabled: boolean;
  version: number;
  createdAt: string;
}

export interface SessionView {
  id: string;
  agentId: string | null;
  connectionId: string | null;
  workSessionId: string | null;
  subject: string | null;
  email: string | null;
  actor: string | null;
  state: string;
  startedAt: string;
  endedAt: string | null;
  statementCount: number;
  maskedCount: number;
  blockedCount: number;
  /** Approval requests the session raised. */
  approvalCount: number;
  policyVersion: number | null;
  searchText: string | null;
  integrity?: string | null;
  integrityKind?: string | null;
  integrityDetail?: string | null;
  verifiedAt?: string | null;
  legalHold?: boolean;
}

export interface Approval {
  id: string;
  requestId: string;
  sessionId: string | null;
  connectionId: string | null;
  subject: string | null;
  email?: string | null;
  actor: string | null;
  operation: string;
  rule: string | null;
  approverGroup: string | null;
  minApprovals: number;
  state: string;
  requestedAt: string;
  expiresAt: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  reason?: string | null;
}

export interface AuditEvent {
  id: string;
  occurredAt: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}
