package dev.ward.policy;

/** Whether a session may run when its recording can not be durably spooled. */
public enum RecordingMode {
  /** No session starts (and a running one stops) unless it can be recorded durably. */
  STRICT,
  /** Sessions run; recording gaps are reported. */
  BEST_EFFORT
}
