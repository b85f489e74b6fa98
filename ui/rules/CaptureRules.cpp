// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/rules/CaptureRules.h"

#include "core/rules/RuleFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QPointer>
#include <QSaveFile>
#include <QSettings>
#include <QThreadPool>

#include <functional>

namespace wsi {
namespace {

const QString documentKey = QStringLiteral("rules/document");
const QString switchesKey = QStringLiteral("rules/switches");
const QString fileKey = QStringLiteral("rules/file");

bool isBlank(const QByteArray &document)
{
    return document.trimmed().isEmpty();
}

// Runs `work` on a pool thread and `done` with its result on the GUI thread, unless `owner` went meanwhile.
template<class Result>
void offTheGuiThread(QObject *owner, std::function<Result()> work, std::function<void(const Result &)> done)
{
    const QPointer<QObject> guard(owner);
    QThreadPool::globalInstance()->start([guard, work = std::move(work), done = std::move(done)] {
        Result result = work();
        QMetaObject::invokeMethod(
            QCoreApplication::instance(),
            [guard, done, result = std::move(result)] {
                if (guard)
                    done(result);
            },
            Qt::QueuedConnection);
    });
}

} // namespace

CaptureRules::CaptureRules(QObject *parent)
    : QObject(parent)
{
    const QSettings settings;
    const QByteArray document = settings.value(documentKey).toString().toUtf8();
    if (isBlank(document))
        return;
    QString error;
    std::shared_ptr<RuleSet> rules = RuleFile::parse(document, &error);
    m_document = document;
    m_file = settings.value(fileKey).toString();
    if (!rules) {
        m_restoreProblem = error;
        return;
    }
    // The switches as they were left, when they still fit the rules.
    const QString switches = settings.value(switchesKey).toString();
    if (switches.size() == rules->size()) {
        for (qsizetype i = 0; i < rules->size(); ++i)
            rules->setEnabled(i, switches.at(i) == QLatin1Char('1'));
    }
    m_rules = std::move(rules);
}

CaptureRules::~CaptureRules() = default;

QString CaptureRules::summary() const
{
    if (!m_rules || m_rules->isEmpty())
        return tr("no rules");
    const int on = enabledCount();
    if (m_rules->size() == 1)
        return on == 1 ? tr("1 rule, on") : tr("1 rule, off");
    return tr("%1 rules, %2 on").arg(m_rules->size()).arg(on);
}

int CaptureRules::enabledCount() const
{
    int on = 0;
    for (qsizetype i = 0; m_rules && i < m_rules->size(); ++i)
        on += m_rules->isEnabled(i) ? 1 : 0;
    return on;
}

bool CaptureRules::apply(const QByteArray &document, QString *error)
{
    if (isBlank(document)) {
        set(nullptr, {}, {});
        return true;
    }
    std::shared_ptr<RuleSet> rules = RuleFile::parse(document, error);
    if (!rules)
        return false;
    // The file still names it only while it says what the file says.
    set(std::move(rules), document, document == m_document ? m_file : QString());
    return true;
}

void CaptureRules::loadFile(const QString &path)
{
    struct Read {
        std::shared_ptr<RuleSet> rules;
        QByteArray document;
        QString error;
    };
    offTheGuiThread<Read>(
        this,
        [path] {
            Read read;
            read.rules = RuleFile::read(path, &read.error, &read.document);
            return read;
        },
        [this, path](const Read &read) {
            if (!read.rules) {
                Q_EMIT loadRefused(path, read.document, read.error);
                return;
            }
            set(read.rules, read.document, path);
            Q_EMIT loaded(path);
        });
}

void CaptureRules::saveFile(const QString &path)
{
    const QByteArray document = m_document;
    offTheGuiThread<QString>(
        this,
        [path, document] {
            QSaveFile file(path);
            if (!file.open(QIODevice::WriteOnly) || file.write(document) != document.size() || !file.commit())
                return tr("cannot write %1: %2").arg(QDir::toNativeSeparators(path), file.errorString());
            return QString();
        },
        [this, path, document](const QString &error) {
            if (!error.isEmpty()) {
                Q_EMIT saveFailed(path, error);
                return;
            }
            if (document == m_document) {
                m_file = path;
                keep();
            }
            Q_EMIT saved(path);
        });
}

void CaptureRules::setEnabled(qsizetype index, bool enabled)
{
    if (!m_rules || index < 0 || index >= m_rules->size() || m_rules->isEnabled(index) == enabled)
        return;
    m_rules->setEnabled(index, enabled);
    keep();
    Q_EMIT switched(index, enabled);
}

QByteArray CaptureRules::exampleDocument()
{
    return QByteArrayLiteral(R"({"rules": [
  {"name": "redact", "from": "client", "opcode": "text", "match": "secret",
   "action": "replace", "with": "public"},
  {"name": "bye closes", "from": "server", "match": "^bye$",
   "action": "close", "to": "client", "code": 4000, "reason": "injected"},
  {"name": "slow server", "from": "server", "match": "^slow-",
   "action": "delay", "ms": 600}
]}
)");
}

void CaptureRules::set(std::shared_ptr<RuleSet> rules, const QByteArray &document, const QString &file)
{
    m_rules = std::move(rules);
    m_document = document;
    m_file = file;
    m_restoreProblem.clear();
    keep();
    Q_EMIT changed();
}

void CaptureRules::keep() const
{
    QSettings settings;
    settings.setValue(documentKey, QString::fromUtf8(m_document));
    settings.setValue(fileKey, m_file);
    QString switches;
    for (qsizetype i = 0; m_rules && i < m_rules->size(); ++i)
        switches.append(m_rules->isEnabled(i) ? QLatin1Char('1') : QLatin1Char('0'));
    settings.setValue(switchesKey, switches);
}

} // namespace wsi
