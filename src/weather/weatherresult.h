// SPDX-License-Identifier: MIT
#pragma once

#include "weathererror.h"

#include <optional>
#include <utility>

/**
 * The outcome of a provider call: a value, or an error, never both. Copyable so it can travel
 * through QFuture.
 */
template<typename T>
struct WeatherResult
{
    std::optional<T> value;
    WeatherError error;

    bool ok() const { return value.has_value() && !error.isError(); }

    static WeatherResult success(T v)
    {
        WeatherResult result;
        result.value = std::move(v);
        return result;
    }

    static WeatherResult failure(WeatherError e)
    {
        WeatherResult result;
        result.error = std::move(e);
        return result;
    }
};
