// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

/** The weather layer's logging category. URLs logged under it never carry the API key. */
Q_DECLARE_LOGGING_CATEGORY(lcWeather)
