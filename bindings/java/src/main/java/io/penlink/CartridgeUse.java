package io.penlink;

/**
 * One use of a cartridge in the ledger ({@link TreatmentLog#cartridgeUses(String)}).
 *
 * @param runId the run that used it
 * @param startedUtc when that run started, UTC as ISO 8601 text
 * @param overrideReason why a used cartridge was reused; "" if it was not
 */
public record CartridgeUse(String cartridgeId, long runId, String startedUtc, String penSerial,
        RecordOutcome outcome, String overrideReason) {}
