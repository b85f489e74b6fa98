// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/rules/HeldMessagesView.h"

#include "core/exchange/OrderedJson.h"
#include "core/protocol/Opcode.h"
#include "core/proxy/HeldMessages.h"
#include "core/text/HexBytes.h"

#include <QButtonGroup>
#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStringDecoder>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wsi {
namespace {

enum Column { ConnectionColumn, DirectionColumn, RuleColumn, AgeColumn, PreviewColumn, ColumnCount };
constexpr int idRole = Qt::UserRole;
constexpr int heldAtRole = Qt::UserRole + 1;
constexpr qsizetype previewChars = 80;

bool isUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    (void)decoder.decode(bytes);
    return !decoder.hasError();
}

QString preview(const HeldMessage &message)
{
    if (message.opcode == Opcodes::value(Opcode::Binary) && !isUtf8(message.payload))
        return QString::fromLatin1(message.payload.first(std::min<qsizetype>(message.payload.size(), 24)).toHex(' '));
    QString text =
        QString::fromUtf8(message.payload.first(std::min<qsizetype>(message.payload.size(), 4 * previewChars)));
    text.replace(u'\n', u' ');
    return text.size() > previewChars ? text.first(previewChars) + QChar(0x2026) : text;
}

QString age(const QDateTime &heldAt)
{
    const qint64 seconds = std::max<qint64>(0, heldAt.secsTo(QDateTime::currentDateTimeUtc()));
    return seconds < 60 ? HeldMessagesView::tr("%1 s").arg(seconds)
                        : HeldMessagesView::tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
}

// The hex digits of `bytes`, 16 bytes a line.
QString hexLines(const QByteArray &bytes)
{
    QStringList lines;
    for (qsizetype at = 0; at < bytes.size(); at += 16)
        lines.append(QString::fromLatin1(bytes.mid(at, 16).toHex(' ')));
    return lines.join(u'\n');
}

} // namespace

HeldMessagesView::HeldMessagesView(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget(this))
    , m_heading(new QLabel(this))
    , m_modes(new QButtonGroup(this))
    , m_editor(new QPlainTextEdit(this))
    , m_problem(new QLabel(this))
    , m_forward(new QPushButton(tr("&Forward"), this))
    , m_forwardEdited(new QPushButton(tr("Forward &edited"), this))
    , m_drop(new QPushButton(tr("&Drop"), this))
    , m_answer(new QPushButton(tr("&Answer…"), this))
{
    m_list->setObjectName(QStringLiteral("heldMessagesList"));
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Connection"), tr("Direction"), tr("Rule"), tr("Waiting"), tr("Message")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->header()->setStretchLastSection(true);
    m_list->setToolTip(tr("Messages a pause rule holds: their sender waits, and later messages from it wait behind "
                          "them, until you decide"));

    m_editor->setObjectName(QStringLiteral("heldMessageEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("Select a held message to read or edit it"));
    m_problem->setObjectName(QStringLiteral("heldMessageProblem"));
    m_problem->setWordWrap(true);
    m_problem->setForegroundRole(QPalette::PlaceholderText);
    m_heading->setWordWrap(true);

    auto *modeRow = new QHBoxLayout;
    modeRow->setContentsMargins(0, 0, 0, 0);
    modeRow->addWidget(m_heading, 1);
    const std::pair<Mode, QString> modes[] = {
        {Mode::Text, tr("Text")}, {Mode::Json, tr("JSON")}, {Mode::Hex, tr("Hex")}};
    for (const auto &[mode, name] : modes) {
        auto *button = new QToolButton(this);
        button->setText(name);
        button->setCheckable(true);
        button->setAutoRaise(true);
        m_modes->addButton(button, int(mode));
        modeRow->addWidget(button);
    }
    m_modes->button(int(Mode::Text))->setChecked(true);
    m_modes->button(int(Mode::Json))->setToolTip(tr("As JSON: checked as you type, indented in its members' order"));
    m_modes->button(int(Mode::Hex))->setToolTip(tr("The bytes in hex, 16 a line"));

    m_forward->setObjectName(QStringLiteral("heldForward"));
    m_forwardEdited->setObjectName(QStringLiteral("heldForwardEdited"));
    m_drop->setObjectName(QStringLiteral("heldDrop"));
    m_answer->setObjectName(QStringLiteral("heldAnswer"));
    m_forward->setToolTip(tr("Let the message go on as it came"));
    m_forwardEdited->setToolTip(tr("Send the edited message on instead (a frame of the relay's own, marked injected)"));
    m_drop->setToolTip(tr("Forward nothing: the peer never sees it"));
    m_answer->setToolTip(tr("Send a message back to its sender instead of forwarding it"));
    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_forward);
    buttons->addWidget(m_forwardEdited);
    buttons->addWidget(m_drop);
    buttons->addWidget(m_answer);
    buttons->addStretch(1);

    auto *editorPanel = new QWidget(this);
    auto *editorLayout = new QVBoxLayout(editorPanel);
    editorLayout->setContentsMargins(0, 0, 0, 0);
    // The decisions above the editor: in a low dock they stay in reach while the editor scrolls.
    editorLayout->addLayout(modeRow);
    editorLayout->addLayout(buttons);
    editorLayout->addWidget(m_editor, 1);
    editorLayout->addWidget(m_problem);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_list);
    splitter->addWidget(editorPanel);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(splitter);

    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(refreshIntervalMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &HeldMessagesView::refresh);
    m_ageTimer.setInterval(1000);
    connect(&m_ageTimer, &QTimer::timeout, this, &HeldMessagesView::updateAges);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &HeldMessagesView::onSelectionChanged);
    connect(m_modes, &QButtonGroup::idClicked, this, [this](int id) {
        if (!setMode(Mode(id)))
            m_modes->button(int(m_mode))->setChecked(true);
    });
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        if (m_settingText)
            return;
        m_edited = true;
        updateButtons();
    });
    connect(m_forward, &QPushButton::clicked, this, &HeldMessagesView::forward);
    connect(m_forwardEdited, &QPushButton::clicked, this, &HeldMessagesView::forwardEdited);
    connect(m_drop, &QPushButton::clicked, this, &HeldMessagesView::drop);
    connect(m_answer, &QPushButton::clicked, this, &HeldMessagesView::askForAnswer);
    showMessage(std::nullopt);
}

HeldMessagesView::~HeldMessagesView()
{
    setHeldMessages(nullptr);
}

void HeldMessagesView::setHeldMessages(std::shared_ptr<HeldMessages> held)
{
    if (m_held)
        m_held->setListener(nullptr, {});
    m_held = std::move(held);
    if (m_held) {
        // Coalesced by HeldMessages (one queued call at a time), then paced here.
        m_held->setListener(this, [this] {
            if (!m_refreshTimer.isActive())
                m_refreshTimer.start();
        });
    }
    refresh();
}

int HeldMessagesView::count() const
{
    return m_list->topLevelItemCount();
}

quint64 HeldMessagesView::selectedId() const
{
    const QList<QTreeWidgetItem *> selected = m_list->selectedItems();
    return selected.isEmpty() ? 0 : selected.constFirst()->data(ConnectionColumn, idRole).toULongLong();
}

void HeldMessagesView::select(quint64 id)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->data(ConnectionColumn, idRole).toULongLong() == id) {
            m_list->setCurrentItem(item);
            return;
        }
    }
}

void HeldMessagesView::refresh()
{
    const QList<HeldMessage> held = m_held ? m_held->messages() : QList<HeldMessage>();
    const quint64 wasShown = m_shown ? m_shown->id : 0;
    // Both lists are in id order: items of messages let go are removed, new ones appended, the rest stay as they
    // are (with their selection).
    qsizetype next = 0;
    for (int i = 0; i < m_list->topLevelItemCount();) {
        const quint64 id = m_list->topLevelItem(i)->data(ConnectionColumn, idRole).toULongLong();
        while (next < held.size() && held.at(next).id < id)
            ++next;
        if (next < held.size() && held.at(next).id == id) {
            ++i;
            ++next;
        } else {
            delete m_list->takeTopLevelItem(i);
        }
    }
    const quint64 lastListed =
        m_list->topLevelItemCount() > 0
            ? m_list->topLevelItem(m_list->topLevelItemCount() - 1)->data(ConnectionColumn, idRole).toULongLong()
            : 0;
    QList<QTreeWidgetItem *> added;
    for (const HeldMessage &message : held) {
        if (message.id <= lastListed)
            continue;
        auto *item = new QTreeWidgetItem;
        item->setData(ConnectionColumn, idRole, message.id);
        item->setData(ConnectionColumn, heldAtRole, message.heldAt);
        const QString server = message.url.port() > 0
                                   ? QStringLiteral("%1:%2").arg(message.url.host()).arg(message.url.port())
                                   : message.url.host();
        item->setText(ConnectionColumn, QStringLiteral("#%1 %2").arg(message.connectionId).arg(server));
        item->setToolTip(ConnectionColumn, message.url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
        item->setText(DirectionColumn,
                      message.from == Endpoint::Client ? tr("client → server") : tr("server → client"));
        item->setText(RuleColumn, message.rule);
        item->setText(AgeColumn, age(message.heldAt));
        if (message.timeoutMs >= 0)
            item->setToolTip(AgeColumn,
                             tr("Forwarded as it came after %1 ms if nobody decides").arg(message.timeoutMs));
        item->setText(PreviewColumn, preview(message));
        added.append(item);
    }
    m_list->addTopLevelItems(added);
    if (!added.isEmpty()) {
        for (const int column : {ConnectionColumn, DirectionColumn, RuleColumn, AgeColumn})
            m_list->resizeColumnToContents(column);
    }
    if (wasShown && std::none_of(held.begin(), held.end(),
                                 [wasShown](const HeldMessage &message) { return message.id == wasShown; })) {
        // The message being edited was let go without us (its timeout, its connection's end).
        showMessage(std::nullopt);
        m_problem->setText(tr("That message is no longer held: its rule's timeout forwarded it, or its connection "
                              "ended."));
    }
    if (m_list->selectedItems().isEmpty() && m_list->topLevelItemCount() > 0 && !m_shown && !wasShown)
        m_list->setCurrentItem(m_list->topLevelItem(0)); // the oldest, ready to decide
    if (m_list->topLevelItemCount() > 0)
        m_ageTimer.start();
    else
        m_ageTimer.stop();
    if (m_count != m_list->topLevelItemCount()) {
        m_count = m_list->topLevelItemCount();
        Q_EMIT countChanged(m_count);
    }
}

void HeldMessagesView::updateAges()
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        item->setText(AgeColumn, age(item->data(ConnectionColumn, heldAtRole).toDateTime()));
    }
}

void HeldMessagesView::onSelectionChanged()
{
    const quint64 id = selectedId();
    if (m_shown && m_shown->id == id)
        return;
    showMessage(id && m_held ? m_held->message(id) : std::nullopt);
}

void HeldMessagesView::showMessage(const std::optional<HeldMessage> &message)
{
    m_shown = message;
    m_edited = false;
    m_problem->clear();
    if (!message) {
        m_heading->setText(tr("No message selected"));
        setEditorText({});
        m_editor->setReadOnly(true);
        updateButtons();
        return;
    }
    m_editor->setReadOnly(false);
    const bool binary = message->opcode == Opcodes::value(Opcode::Binary);
    m_heading->setText(
        tr("%1 %2 message, %n byte(s), from the %3", nullptr, int(message->payload.size()))
            .arg(message->connectionId > 0 ? QStringLiteral("#%1").arg(message->connectionId) : QString(),
                 binary ? tr("binary") : tr("text"), message->from == Endpoint::Client ? tr("client") : tr("server")));
    // Shown the way it reads best: JSON when it is, text when it is UTF-8, else its bytes.
    Mode mode = Mode::Hex;
    if (isUtf8(message->payload))
        mode = OrderedJson::parse(message->payload).root ? Mode::Json : Mode::Text;
    m_mode = mode;
    m_modes->button(int(mode))->setChecked(true);
    setEditorText(render(message->payload, mode));
    updateButtons();
}

QString HeldMessagesView::render(const QByteArray &payload, Mode mode) const
{
    switch (mode) {
    case Mode::Json:
        if (const OrderedJson::Result parsed = OrderedJson::parse(payload); parsed.root)
            return OrderedJson::pretty(*parsed.root, 2);
        return QString::fromUtf8(payload);
    case Mode::Hex:
        return hexLines(payload);
    case Mode::Text:
        break;
    }
    return QString::fromUtf8(payload);
}

std::optional<QByteArray> HeldMessagesView::editedPayload(QString *error) const
{
    const QString text = m_editor->toPlainText();
    switch (m_mode) {
    case Mode::Text:
        return text.toUtf8();
    case Mode::Json: {
        const QByteArray bytes = text.toUtf8();
        const OrderedJson::Result parsed = OrderedJson::parse(bytes);
        if (!parsed.root) {
            *error = tr("Not JSON: %1").arg(parsed.error);
            return std::nullopt;
        }
        return bytes;
    }
    case Mode::Hex: {
        const std::optional<QByteArray> bytes = parseHexBytes(text);
        if (!bytes)
            *error = tr("Not bytes in hex: two digits 0-9, a-f a byte");
        return bytes;
    }
    }
    return std::nullopt;
}

bool HeldMessagesView::setMode(Mode mode)
{
    if (mode == m_mode)
        return true;
    if (!m_shown) {
        m_mode = mode;
        m_modes->button(int(mode))->setChecked(true);
        return true;
    }
    QString error;
    const std::optional<QByteArray> payload = editedPayload(&error);
    if (!payload) {
        m_problem->setText(error);
        return false;
    }
    if (mode == Mode::Json && !OrderedJson::parse(*payload).root) {
        m_problem->setText(tr("This message is not JSON: %1").arg(OrderedJson::parse(*payload).error));
        return false;
    }
    if (mode == Mode::Text && !isUtf8(*payload)) {
        m_problem->setText(tr("These bytes are not UTF-8 text: edit them in Hex"));
        return false;
    }
    m_mode = mode;
    m_modes->button(int(mode))->setChecked(true);
    setEditorText(render(*payload, mode));
    m_problem->clear();
    updateButtons();
    return true;
}

QString HeldMessagesView::problem() const
{
    return m_problem->text();
}

void HeldMessagesView::setEditorText(const QString &text)
{
    m_settingText = true;
    m_editor->setPlainText(text);
    m_settingText = false;
}

void HeldMessagesView::updateButtons()
{
    const bool shown = m_shown.has_value();
    m_forward->setEnabled(shown);
    m_drop->setEnabled(shown);
    m_answer->setEnabled(shown);
    QString error;
    const bool readable = shown && m_edited && editedPayload(&error).has_value();
    m_forwardEdited->setEnabled(readable);
    if (shown && m_edited)
        m_problem->setText(error);
}

bool HeldMessagesView::decide(const HoldDecision &decision)
{
    if (!m_shown || !m_held)
        return false;
    const quint64 id = m_shown->id;
    const bool decided = m_held->decide(id, decision);
    showMessage(std::nullopt);
    if (!decided)
        m_problem->setText(tr("That message is no longer held: its rule's timeout forwarded it, or its connection "
                              "ended."));
    refresh();
    return decided;
}

bool HeldMessagesView::forward()
{
    return decide(HoldDecision::forward());
}

bool HeldMessagesView::forwardEdited()
{
    if (!m_shown)
        return false;
    QString error;
    const std::optional<QByteArray> payload = editedPayload(&error);
    if (!payload) {
        m_problem->setText(error);
        return false;
    }
    return decide(HoldDecision::edited(m_shown->opcode, *payload));
}

bool HeldMessagesView::drop()
{
    return decide(HoldDecision::drop());
}

bool HeldMessagesView::answer(quint8 opcode, const QByteArray &payload)
{
    return decide(HoldDecision::answer(opcode, payload));
}

void HeldMessagesView::askForAnswer()
{
    if (!m_shown)
        return;
    const quint64 id = m_shown->id;
    bool ok = false;
    const QString text =
        QInputDialog::getMultiLineText(this, tr("Answer the held message"),
                                       tr("Sent back to the %1 instead of forwarding its message:")
                                           .arg(m_shown->from == Endpoint::Client ? tr("client") : tr("server")),
                                       QString(), &ok);
    // The message may have been let go while the dialog was open.
    if (ok && m_shown && m_shown->id == id)
        answer(Opcodes::value(Opcode::Text), text.toUtf8());
}

} // namespace wsi
