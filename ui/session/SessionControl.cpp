// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/session/SessionControl.h"

namespace wsi {

SessionControl::~SessionControl() = default;

} // namespace wsi
