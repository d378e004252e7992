package io.penlink;

import java.util.OptionalInt;

/**
 * A run in the treatment log ({@link TreatmentLog#recentRuns(int)}): when, which pen,
 * cartridge and recipe, how it ended. Times are UTC as ISO 8601 text.
 *
 * @param id the run's id in the log ({@link Runner#runId()})
 * @param endedUtc "" while running
 * @param recipeHash SHA-256 of the recipe's text, lowercase hex
 * @param deviceClass "professional" or "at-home"
 * @param clientReference the app's opaque reference to its client, as given
 * @param failingStep the step it stopped in, if it did
 * @param reason why it stopped; "" when completed
 * @param cartridgeOverrideReason why a used cartridge was reused; "" if it was not
 * @param steps steps recorded
 * @param recordingPath the run's session recording as the app named it; "" when none was made
 *     ({@link Pen#startRecording}, {@link ConnectOptions#withRecordPath})
 * @param recordingAbsolutePath the same file as an absolute path; "" when none was made
 * @param recordingStartedUnixMs the recording's start time from its header, ms since 1970 (a
 *     later file at the same path has another); 0 when none was made
 */
public record LoggedRun(long id, String startedUtc, String endedUtc, String penSerial,
        String penModel, String penFirmware, String cartridgeId, String recipeName,
        String recipeHash, String deviceClass, String clientReference, RecordOutcome outcome,
        OptionalInt failingStep, String reason, String cartridgeOverrideReason, int steps,
        String recordingPath, String recordingAbsolutePath, long recordingStartedUnixMs) {}
