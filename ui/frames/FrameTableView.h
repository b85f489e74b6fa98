// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTableView>

namespace wsi {

// The table a session's frames are shown in: one row per frame, a million rows and more. Rows are uniform and the
// vertical header is hidden, so inserting a batch or jumping to the end costs the same at any row count (an
// interactive header keeps per-row state and slows down as the table grows).
class FrameTableView final : public QTableView
{
    Q_OBJECT

public:
    explicit FrameTableView(QWidget *parent = nullptr);
};

} // namespace wsi
