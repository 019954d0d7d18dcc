package dev.ward.agent.protocol.postgres;

import dev.ward.agent.protocol.ListenerContext;
import io.vertx.core.net.NetClient;

/**
 * What a new client session starts with: the listener's context and upstream as they are when the
 * client connects. Later config updates do not change a session that has started.
 *
 * @param context the listener context, with the connection in force
 * @param target the upstream address and TLS mode
 * @param upstreamClient the client that connects to the upstream
 * @param cancelKeys the listener's cancel key map
 * @param sessions the listener's open sessions, so a stop can end them
 * @param tableNames names of the upstream's tables, for masking rules that name a table
 */
record SessionSetup(
    ListenerContext context,
    UpstreamTarget target,
    NetClient upstreamClient,
    CancelKeys cancelKeys,
    OpenSessions sessions,
    TableNames tableNames) {}
