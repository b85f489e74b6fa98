// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "core/proxy/HeldMessage.h"
#include "core/proxy/HoldDecision.h"

#include <QTimer>
#include <QWidget>

#include <memory>
#include <optional>

class QButtonGroup;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace wsi {

class HeldMessages;

// The messages the capture's pause rules hold (breakpoints), waiting for someone to decide: a list (connection,
// direction, rule, how long it waits, a preview) and, for the one selected, an editor that shows it as Text, JSON
// (checked, indented in its members' order) or Hex, with Forward, Forward edited (once it was edited), Drop and
// Answer… (a message back to its sender instead).
//
// It reads HeldMessages, which the network thread changes: the list follows its coalesced change notice at most
// every refreshIntervalMs, and its ages once a second while anything waits; deciding takes the HeldMessages lock for
// a moment and never waits on the network thread. A message that was let go meanwhile (its timeout, its connection's
// end) just leaves the list, with a note if it was the one being edited.
class HeldMessagesView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeldMessagesView)

public:
    enum class Mode : quint8 { Text, Json, Hex };
    static constexpr int refreshIntervalMs = 50;

    explicit HeldMessagesView(QWidget *parent = nullptr);
    ~HeldMessagesView() override;

    // What it lists (LiveCapture::heldMessages()); null: nothing.
    void setHeldMessages(std::shared_ptr<HeldMessages> held);

    int count() const;
    QTreeWidget *list() const noexcept { return m_list; }
    // The selected message's id, 0 when none is.
    quint64 selectedId() const;
    void select(quint64 id);

    Mode mode() const noexcept { return m_mode; }
    // Shows the edited message in `mode`; false (with problem() saying why) when the text cannot be read as the
    // current mode's (JSON that does not parse, digits that are not hex).
    bool setMode(Mode mode);
    QPlainTextEdit *editor() const noexcept { return m_editor; }
    QString problem() const;
    bool isEdited() const noexcept { return m_edited; }

    // Decisions on the selected message (what the buttons do); false when there is none, the edit cannot be read, or
    // the message was let go meanwhile.
    bool forward();
    bool forwardEdited();
    bool drop();
    bool answer(quint8 opcode, const QByteArray &payload);

Q_SIGNALS:
    // How many are held changed (the dock's title says it, the window shows the dock when it rises from 0).
    void countChanged(int count);

private:
    void refresh();
    void updateAges();
    void onSelectionChanged();
    void showMessage(const std::optional<HeldMessage> &message);
    // The editor's text as the message's bytes in the current mode, or nullopt with *error.
    std::optional<QByteArray> editedPayload(QString *error) const;
    QString render(const QByteArray &payload, Mode mode) const;
    void setEditorText(const QString &text);
    void updateButtons();
    bool decide(const HoldDecision &decision);
    void askForAnswer();

    std::shared_ptr<HeldMessages> m_held;
    QTreeWidget *m_list;
    QLabel *m_heading;
    QButtonGroup *m_modes;
    QPlainTextEdit *m_editor;
    QLabel *m_problem;
    QPushButton *m_forward;
    QPushButton *m_forwardEdited;
    QPushButton *m_drop;
    QPushButton *m_answer;
    QTimer m_refreshTimer;
    QTimer m_ageTimer;
    std::optional<HeldMessage> m_shown; // the message in the editor
    Mode m_mode = Mode::Text;
    bool m_edited = false;
    bool m_settingText = false;
    int m_count = 0;
};

} // namespace wsi
