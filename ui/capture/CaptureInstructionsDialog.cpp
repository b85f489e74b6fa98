// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/capture/CaptureInstructionsDialog.h"

#include "core/proxy/CaptureAuthority.h"
#include "ui/capture/SnippetView.h"

#include <QClipboard>
#include <QCryptographicHash>
#include <QDialogButtonBox>
#include <QDir>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPointer>
#include <QPushButton>
#include <QScreen>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QThreadPool>
#include <QTimer>
#include <QVBoxLayout>

namespace wsi {
namespace {

// A Copy button that puts `text` on the clipboard and says so for a moment.
QPushButton *copyButton(const QString &what, const std::function<QString()> &text, QWidget *parent)
{
    auto *button = new QPushButton(CaptureInstructionsDialog::tr("Copy"), parent);
    button->setObjectName(QStringLiteral("copySnippet"));
    button->setToolTip(CaptureInstructionsDialog::tr("Copy %1").arg(what));
    button->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    const QPointer<QPushButton> guard(button);
    QObject::connect(button, &QPushButton::clicked, button, [guard, text] {
        QGuiApplication::clipboard()->setText(text());
        guard->setText(CaptureInstructionsDialog::tr("Copied"));
        QTimer::singleShot(1500, guard, [guard] { guard->setText(CaptureInstructionsDialog::tr("Copy")); });
    });
    return button;
}

} // namespace

CaptureInstructionsDialog::CaptureInstructionsDialog(quint16 port, bool running, const QString &caFolder,
                                                     QWidget *parent)
    : QDialog(parent)
    , m_port(port)
    , m_running(running)
    , m_caFolder(caFolder)
    , m_proxyLine(new QLabel(this))
    , m_sections(new QListWidget(this))
    , m_pages(new QStackedWidget(this))
{
    setObjectName(QStringLiteral("captureInstructions"));
    setWindowTitle(tr("Point your app at the capture proxy"));
    m_proxyLine->setObjectName(QStringLiteral("captureProxyLine"));
    m_proxyLine->setWordWrap(true);
    m_proxyLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_copyProxy = copyButton(
        tr("the proxy's address"), [this] { return CaptureInstructions::proxyUrl(m_port); }, this);
    m_copyProxy->setObjectName(QStringLiteral("copyProxyUrl"));
    auto *top = new QHBoxLayout;
    top->addWidget(m_proxyLine, 1);
    top->addWidget(m_copyProxy, 0, Qt::AlignTop);

    m_sections->setObjectName(QStringLiteral("captureSections"));
    m_sections->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    auto *splitter = new QSplitter(this);
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(m_sections);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    connect(m_sections, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *exportCa = buttons->addButton(tr("&Export CA certificate…"), QDialogButtonBox::ActionRole);
    exportCa->setObjectName(QStringLiteral("exportCa"));
    exportCa->setToolTip(tr("Write the capture CA's certificate (never its key) to a file of your choice"));
    connect(exportCa, &QPushButton::clicked, this, &CaptureInstructionsDialog::exportCaRequested);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addWidget(buttons);
    rebuild();
    m_sections->setMaximumWidth(m_sections->sizeHintForColumn(0) + 2 * m_sections->frameWidth() + 24);

    // Roomy, but never larger than the screen it opens on (a 1024x700 laptop included).
    const QSize room = (parent ? parent->screen() : QGuiApplication::primaryScreen())->availableSize() * 9 / 10;
    resize(QSize(940, 640).boundedTo(room));

    // The CA's fingerprint, to compare with what a trust store shows: opening it reads (or, the first time, makes)
    // its files, off the GUI thread.
    const QPointer<CaptureInstructionsDialog> self(this);
    QThreadPool::globalInstance()->start([self, caFolder] {
        QString error;
        const std::shared_ptr<CaptureAuthority> authority = CaptureAuthority::openOrCreate(caFolder, &error);
        const QString fingerprint =
            authority
                ? QString::fromLatin1(authority->certificate().digest(QCryptographicHash::Sha256).toHex(':').toUpper())
                : QString();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [self, fingerprint, error] {
                if (!self)
                    return;
                self->m_fingerprint = fingerprint;
                self->m_caError = error;
                self->rebuild();
            },
            Qt::QueuedConnection);
    });
}

CaptureInstructionsDialog::~CaptureInstructionsDialog() = default;

QString CaptureInstructionsDialog::caFile() const
{
    return QDir(m_caFolder).filePath(QStringLiteral("ca.pem"));
}

void CaptureInstructionsDialog::setProxy(quint16 port, bool running)
{
    m_port = port;
    m_running = running;
    rebuild();
}

QStringList CaptureInstructionsDialog::sectionIds() const
{
    QStringList ids;
    for (int i = 0; i < m_sections->count(); ++i)
        ids.append(m_sections->item(i)->data(Qt::UserRole).toString());
    return ids;
}

void CaptureInstructionsDialog::showSection(const QString &id)
{
    const int row = int(sectionIds().indexOf(id));
    if (row >= 0)
        m_sections->setCurrentRow(row);
}

QList<QPair<SnippetView *, QPushButton *>> CaptureInstructionsDialog::snippets() const
{
    return m_snippets;
}

void CaptureInstructionsDialog::rebuild()
{
    m_proxyLine->setText(
        m_running ? tr("The capture proxy listens on %1. Point the application at it as its page says; every "
                       "WebSocket connection it opens then shows here.")
                        .arg(CaptureInstructions::proxyUrl(m_port))
                  : tr("The capture proxy is not running. Start it with Capture > Start capture proxy… on port %1, "
                       "which these steps use.")
                        .arg(m_port));
    const int shown = std::max(0, m_sections->currentRow());
    m_sections->clear();
    m_snippets.clear();
    while (m_pages->count() > 0) {
        QWidget *old = m_pages->widget(0);
        m_pages->removeWidget(old);
        old->deleteLater();
    }
    QList<CaptureInstructions::Section> all = CaptureInstructions::sections(m_port, caFile());
    all.prepend(CaptureInstructions::authority(m_caFolder, caFile(), m_fingerprint, m_caError));
    for (const CaptureInstructions::Section &section : std::as_const(all)) {
        auto *item = new QListWidgetItem(section.title, m_sections);
        item->setData(Qt::UserRole, section.id);
        m_pages->addWidget(page(section));
    }
    m_sections->setCurrentRow(std::min(shown, m_sections->count() - 1));
}

QWidget *CaptureInstructionsDialog::page(const CaptureInstructions::Section &section)
{
    auto *scroll = new QScrollArea;
    scroll->setObjectName(QStringLiteral("captureSection-") + section.id);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    auto *content = new QWidget(scroll);
    auto *layout = new QVBoxLayout(content);
    auto *title = new QLabel(section.title, content);
    QFont bold = title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    title->setFont(bold);
    layout->addWidget(title);
    auto *steps = new QLabel(section.steps, content);
    steps->setObjectName(QStringLiteral("captureSteps"));
    steps->setWordWrap(true);
    steps->setTextFormat(Qt::PlainText);
    steps->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(steps);
    for (const CaptureInstructions::Snippet &snippet : section.snippets) {
        auto *label = new QLabel(snippet.label, content);
        label->setWordWrap(true);
        auto *view = new SnippetView(snippet.text, content);
        QPushButton *copy = copyButton(
            snippet.label, [view] { return view->text(); }, content);
        auto *row = new QHBoxLayout;
        row->addWidget(label, 1);
        row->addWidget(copy);
        layout->addSpacing(4);
        layout->addLayout(row);
        layout->addWidget(view);
        m_snippets.append({view, copy});
    }
    layout->addStretch(1);
    scroll->setWidget(content);
    return scroll;
}

} // namespace wsi
