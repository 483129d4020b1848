// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

/**
 * The weather layer's logging category. URLs logged under it never carry the API key. Like every
 * WeatherDash category it shows warnings and above by default; QT_LOGGING_RULES (e.g.
 * `weatherdash.*.debug=true`) opts in to the rest.
 */
Q_DECLARE_LOGGING_CATEGORY(lcWeather)
