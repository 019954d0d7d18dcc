/**
 * Launchers for the real components Ward runs against: each starts one process on 127.0.0.1, waits
 * until it answers, and stops it again. {@code make dev} and the integration tests use the same
 * launchers, so what a newcomer runs is what CI tests.
 */
package dev.ward.stack;
