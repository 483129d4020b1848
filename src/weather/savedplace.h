// SPDX-License-Identifier: MIT
#pragma once

#include "location.h"

#include <QString>

/** A place the person keeps in the Places list: where it is, and the name they gave it. */
struct SavedPlace
{
    Location location;
    /** The person's own name for it ("Home"); empty: the geocoder's name. Display only. */
    QString label;

    friend bool operator==(const SavedPlace &, const SavedPlace &) = default;
};
