// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QTextEdit>

namespace wsi {

// A command or piece of code to copy, shown whole: fixed-pitch, read-only, wrapped anywhere at the width it is given
// (a long command line must not push its page sideways) and exactly as tall as its wrapped text, so it never
// scrolls on its own. Selecting and copying a part works as in any text field; the whole is copied by the Copy
// button next to it.
class SnippetView final : public QTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SnippetView)

public:
    explicit SnippetView(const QString &text, QWidget *parent = nullptr);
    ~SnippetView() override;

    QString text() const { return toPlainText(); }

private:
    void fitHeight();
};

} // namespace wsi
