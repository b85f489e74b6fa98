// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QWidget>

#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace wsi {

// A sentence across the top of the window that stays until the user closes it: what failed and where (a file that
// did not open, a folder no file manager showed), or a first hint. Unlike the status bar, whose messages go after
// a few seconds, nothing here goes unread. It may carry buttons (Copy path, ...); its × deletes it.
class NoticeBanner final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoticeBanner)

public:
    enum class Kind : quint8 { Failure, Hint };

    NoticeBanner(Kind kind, const QString &text, QWidget *parent = nullptr);

    Kind kind() const noexcept { return m_kind; }
    QString text() const;
    // A button before the ×, running `action` when clicked.
    QPushButton *addButton(const QString &text, std::function<void()> action);
    // The ×: emits dismissed(), then the banner deletes itself.
    void dismiss();

Q_SIGNALS:
    void dismissed();

private:
    Kind m_kind;
    QLabel *m_label;
    QHBoxLayout *m_row;
};

} // namespace wsi
