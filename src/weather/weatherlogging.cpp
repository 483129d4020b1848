// SPDX-License-Identifier: MIT
#include "weatherlogging.h"

Q_LOGGING_CATEGORY(lcWeather, "weatherdash.weather", QtWarningMsg)
