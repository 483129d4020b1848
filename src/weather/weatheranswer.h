// SPDX-License-Identifier: MIT
#pragma once

#include "weathererror.h"

#include <QtGlobal>

#include <optional>

/** Where an answer came from, as the CLI prints it and the card's status line shows it. */
enum class AnswerSource : quint8 {
    Network, // fetched just now
    Cache, // fresh from the cache (memory, or the disk tier of an earlier run)
    Stale, // the fetch failed; an expired answer is shown instead, with its age
};

/** One answer of the weather core: a value or why not, where it came from, and its age. */
template<typename T>
struct WeatherAnswer
{
    std::optional<T> value;
    WeatherError error; // set when failed, and when stale (why it is not newer)
    AnswerSource source = AnswerSource::Network;
    qint64 ageMs = 0;

    bool ok() const { return value.has_value(); }
};
