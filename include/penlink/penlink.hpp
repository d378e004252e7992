/// @file penlink.hpp
/// @brief The whole penlink C++ API. Start with penlink::Pen::connect().
#pragma once

#include "penlink/discovery.hpp"
#include "penlink/errors.hpp"
#include "penlink/pen.hpp"
#include "penlink/recorder.hpp"
#include "penlink/recording_timeline.hpp"
#include "penlink/records.hpp"
#include "penlink/treatment.hpp"
#include "penlink/treatment_record.hpp"
#include "penlink/treatment_runner.hpp"
#include "penlink/types.hpp"
#include "penlink/version.h"
