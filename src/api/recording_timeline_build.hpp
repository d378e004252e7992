// The decoding behind penlink::read_recording_timeline, on a recording already parsed, so the
// fuzzer (fuzz/fuzz_recording.cpp) reaches it without a file.
#pragma once

#include "penlink/recording_timeline.hpp"
#include "recording/recording_reader.hpp"

namespace penlink::api {

/// Decodes every record of file (see penlink/recording_timeline.hpp). Never throws for what
/// the records hold: a frame that does not decode is counted, a descriptor that does not parse
/// is left out.
RecordingTimeline build_timeline(const recording::Recording& file);

}  // namespace penlink::api
