// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/capture/CapturedList.h"

#include "core/proxy/ProxyConnection.h"
#include "ui/capture/LiveCapture.h"
#include "ui/session/RelayedSource.h"
#include "ui/session/SessionView.h"
#include "ui/widgets/Icons.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace wsi {
namespace {

enum Column : quint8 { UrlColumn, StateColumn, ClientColumn };
constexpr int keyRole = Qt::UserRole;

QString stateText(const RelayedSource *source)
{
    switch (source->state()) {
    case Session::State::Idle:
    case Session::State::Connecting:
        return CapturedList::tr("upgrading");
    case Session::State::Open:
        return CapturedList::tr("open");
    case Session::State::Closing:
        return CapturedList::tr("closing");
    case Session::State::Closed:
        break;
    }
    const std::optional<SessionRecords> records = source->records();
    if (records && records->close)
        return CapturedList::tr("closed %1").arg(records->close->code);
    return CapturedList::tr("closed");
}

} // namespace

CapturedList::CapturedList(QWidget *parent)
    : QWidget(parent)
    , m_list(new QTreeWidget(this))
    , m_summary(new QLabel(this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_removeEnded(new QPushButton(tr("&Remove ended"), this))
{
    m_list->setObjectName(QStringLiteral("capturedConnections"));
    m_list->setHeaderLabels({tr("Application's URL"), tr("State"), tr("Client")});
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAlternatingRowColors(true);
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(UrlColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(StateColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(ClientColumn, QHeaderView::ResizeToContents);
    m_summary->setObjectName(QStringLiteral("capturedSummary"));
    m_summary->setWordWrap(true);
    m_open->setToolTip(tr("Open the selected connection in a tab (or double-click it)"));
    m_removeEnded->setToolTip(tr("Forget the connections that ended and have no tab"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_open);
    buttons->addWidget(m_removeEnded);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_summary);
    layout->addWidget(m_list, 1);
    layout->addLayout(buttons);
    connect(m_list, &QTreeWidget::itemActivated, this,
            [this](QTreeWidgetItem *item) { open(m_list->indexOfTopLevelItem(item)); });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (QTreeWidgetItem *item = m_list->currentItem())
            open(m_list->indexOfTopLevelItem(item));
    });
    connect(m_removeEnded, &QPushButton::clicked, this, &CapturedList::removeEnded);
    updateSummary();
}

CapturedList::~CapturedList() = default;

RelayedSource *CapturedList::add(ProxyConnection *connection, const QUrl &url, int run)
{
    const quint64 key = m_nextKey++;
    Entry &entry = m_entries[key];
    entry.run = run;
    entry.connectionId = connection->id();
    entry.connection = connection;
    entry.item = new QTreeWidgetItem(m_list);
    entry.item->setData(UrlColumn, keyRole, key);
    entry.item->setText(UrlColumn, url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment));
    entry.item->setToolTip(UrlColumn, entry.item->text(UrlColumn));
    entry.item->setText(ClientColumn, connection->clientAddress());
    auto *source = new RelayedSource(connection, RelayedSource::Relay::CaptureProxy, this);
    entry.waiting = source;
    watch(key, source);
    if (const auto early = m_earlyRecordings.find({run, entry.connectionId}); early != m_earlyRecordings.end()) {
        const QString path = early->second;
        m_earlyRecordings.erase(early);
        setRecording(run, entry.connectionId, path);
    }
    updateSummary();
    return source;
}

RelayedSource *CapturedList::watch(quint64 key, RelayedSource *source)
{
    // The state only: a list of many connections must not repaint on their frames.
    connect(source, &SessionSource::stateChanged, this, [this, key, source] { refresh(key, source); });
    refresh(key, source);
    return source;
}

void CapturedList::refresh(quint64 key, const RelayedSource *source)
{
    const auto found = m_entries.find(key);
    if (found == m_entries.end())
        return;
    Entry &entry = found->second;
    entry.ended = source->state() == Session::State::Closed;
    entry.item->setIcon(UrlColumn, Icons::icon(source->stateIcon()));
    entry.item->setText(StateColumn, stateText(source));
    updateSummary();
}

void CapturedList::setView(RelayedSource *source, SessionView *view)
{
    for (auto &[key, entry] : m_entries) {
        if (entry.waiting != source)
            continue;
        entry.waiting = nullptr;
        entry.view = view;
        QFont font = entry.item->font(UrlColumn);
        font.setBold(true); // has a tab
        entry.item->setFont(UrlColumn, font);
        connect(view, &QObject::destroyed, this, [this, key] {
            const auto found = m_entries.find(key);
            if (found == m_entries.end())
                return;
            QFont plain = found->second.item->font(UrlColumn);
            plain.setBold(false);
            found->second.item->setFont(UrlColumn, plain);
            updateSummary();
        });
        updateSummary();
        return;
    }
}

void CapturedList::setRecording(int run, int connectionId, const QString &path)
{
    for (auto &[key, entry] : m_entries) {
        if (entry.run == run && entry.connectionId == connectionId) {
            entry.recording = path;
            entry.item->setToolTip(StateColumn, tr("Recorded in %1").arg(QDir::toNativeSeparators(path)));
            return;
        }
    }
    m_earlyRecordings[{run, connectionId}] = path;
}

void CapturedList::captureStopped()
{
    for (auto &[key, entry] : m_entries)
        entry.connection = nullptr;
}

int CapturedList::openTabCount() const
{
    int open = 0;
    for (const auto &[key, entry] : m_entries)
        open += entry.view ? 1 : 0;
    return open;
}

void CapturedList::open(int row)
{
    QTreeWidgetItem *item = m_list->topLevelItem(row);
    if (!item)
        return;
    const auto found = m_entries.find(item->data(UrlColumn, keyRole).toULongLong());
    if (found == m_entries.end())
        return;
    Entry &entry = found->second;
    if (entry.view) {
        Q_EMIT showRequested(entry.view);
    } else if (entry.waiting) {
        Q_EMIT openRequested(entry.waiting);
    } else if (entry.connection) {
        // Its tab was closed while the capture still runs: the relay shows it again, whole.
        auto *source = watch(found->first, new RelayedSource(entry.connection, RelayedSource::Relay::CaptureProxy));
        entry.waiting = source;
        Q_EMIT openRequested(source);
    } else if (!entry.recording.isEmpty()) {
        Q_EMIT openFileRequested(entry.recording);
    } else {
        Q_EMIT notice(tr("%1: its tab was closed after the capture stopped, and it was not recorded.")
                          .arg(item->text(UrlColumn)));
    }
}

void CapturedList::removeEnded()
{
    for (auto it = m_entries.begin(); it != m_entries.end();) {
        Entry &entry = it->second;
        if (entry.ended && !entry.view) {
            delete entry.waiting.data();
            delete entry.item;
            it = m_entries.erase(it);
        } else {
            ++it;
        }
    }
    updateSummary();
}

void CapturedList::updateSummary()
{
    const int tabs = openTabCount();
    m_summary->setText(tr("%1 captured, %2 in a tab. Double-click one to open it.")
                           .arg(LiveCapture::webSocketsText(count()))
                           .arg(tabs));
    m_open->setEnabled(count() > 0);
}

} // namespace wsi
