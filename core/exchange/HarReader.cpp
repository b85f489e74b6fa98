// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/exchange/HarReader.h"

#include "core/exchange/JsonStreamScanner.h"
#include "core/protocol/ClosePayload.h"
#include "core/protocol/Opcode.h"
#include "core/text/JsonTypeName.h"

#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <cmath>
#include <tuple>

namespace wsi {
namespace {

using Position = JsonStreamScanner::Position;
using Kind = JsonStreamScanner::Kind;

// HAR message times are seconds since the epoch (Chrome, mitmproxy). Some writers put milliseconds there; no
// session runs in the year 5138, so a value that large can only be milliseconds.
double epochSeconds(double time)
{
    return time > 1e11 ? time / 1000.0 : time;
}

// The data member of one message, read as it streams by: only the part the log can keep is held (text as is, or
// the base64 that decodes to it), the rest is counted; whether it is valid base64 is checked on the way, since the
// opcode that says whether it must be may come after it.
class MessageData final
{
public:
    explicit MessageData(qint64 keptBytesWanted)
        // base64 needs 4 characters for 3 bytes; text needs one byte per byte.
        : m_keepLimit((keptBytesWanted + 2) / 3 * 4)
    {}

    void add(QByteArrayView piece)
    {
        const qint64 room = m_keepLimit - m_kept.size();
        if (room > 0)
            m_kept.append(piece.first(std::min<qint64>(room, piece.size())));
        for (const char c : piece) {
            const bool alphabet =
                (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (m_firstBad < 0) {
                if (c == '=')
                    ++m_padding;
                else if (!alphabet || m_padding > 0)
                    m_firstBad = m_length;
            }
            ++m_length;
        }
    }

    qint64 length() const { return m_length; }
    const QByteArray &kept() const { return m_kept; }
    bool keptAll() const { return m_kept.size() == m_length; }

    // Why this is not base64, or empty when it is.
    QString base64Problem() const
    {
        if (m_firstBad >= 0)
            return QStringLiteral("character %1 is not base64 (binary data is base64 in HAR files)")
                .arg(m_firstBad + 1);
        if (m_padding > 2 || (m_length % 4) == 1 || (m_padding > 0 && m_length % 4 != 0))
            return QStringLiteral("%1 characters are not whole base64 (binary data is base64 in HAR files)")
                .arg(m_length);
        return {};
    }
    qint64 decodedLength() const { return m_length / 4 * 3 + std::max<qint64>(0, m_length % 4 - 1) - m_padding; }
    QByteArray decodedKept() const
    {
        if (keptAll())
            return QByteArray::fromBase64(m_kept);
        return QByteArray::fromBase64(m_kept.first(m_kept.size() / 4 * 4)); // whole groups only
    }

private:
    qint64 m_keepLimit;
    QByteArray m_kept;
    qint64 m_length = 0;
    qint64 m_firstBad = -1;
    int m_padding = 0;
};

// What the messages of one entry say about how it ended.
struct EndingFacts {
    qint64 lastNs = 0;
    qint64 lastIncomingNs = -1;
    qint64 lastOutgoingNs = -1;
    std::optional<Direction> firstClose;
    qint64 firstCloseNs = 0;
    bool closeSent = false;
    bool closeReceived = false;
    std::optional<quint16> serverCode; // 1005 when the server's Close had no code
    QString serverReason;
    qint64 lastCloseNs = 0;
    QString error; // Chrome's {type: "error"}
    qint64 errorNs = 0;
};

// One entry as it is walked: the members kept (only those a WebSocket session needs), where its messages are.
struct EntryState {
    qsizetype index = 0;
    Position at;
    QJsonObject request;
    QHash<QString, Position> requestAt;
    QJsonObject response;
    QHash<QString, Position> responseAt;
    QJsonObject timings;
    QJsonObject securityDetails;
    QString started;
    Position startedAt;
    QString serverIp;
    std::optional<int> serverPort;
    QString resourceType;
    bool hasMessages = false;
    std::optional<Position> messagesAt; // read later, once startedDateTime is known
    std::shared_ptr<FrameLog> log;
    std::optional<double> zeroSeconds; // message times are relative to this
    EndingFacts ending;
};

class HarWalk final
{
public:
    HarWalk(QIODevice *device, const QString &sourceName, const QString &sourcePath, const HarReader::Options &options)
        : m_scanner(device)
        , m_sourceName(sourceName)
        , m_sourcePath(sourcePath)
        , m_options(options)
    {}

    bool run();
    QList<SessionRecords> sessions;
    qsizetype entries = 0;
    QString error;

private:
    bool fail(const Position &at, const QString &path, const QString &what);
    bool syntaxFailed(const QString &path);
    bool expectKind(Kind wanted, const QString &path, const QString &what);
    std::optional<QJsonObject> readPicked(const QString &path, std::initializer_list<QLatin1StringView> keep,
                                          QHash<QString, Position> *positions);
    bool readLog();
    bool readEntries();
    bool readEntry(EntryState &entry);
    bool readMessages(EntryState &entry);
    bool readMessage(EntryState &entry, qsizetype index);
    bool finishEntry(EntryState &entry);
    QString entryPath(const EntryState &entry) const { return QStringLiteral("log.entries[%1]").arg(entry.index); }
    QString messagePath(const EntryState &entry, qsizetype index) const
    {
        return entryPath(entry) + QStringLiteral("._webSocketMessages[%1]").arg(index);
    }

    JsonStreamScanner m_scanner;
    QString m_sourceName;
    QString m_sourcePath;
    HarReader::Options m_options;
};

bool HarWalk::fail(const Position &at, const QString &path, const QString &what)
{
    if (error.isEmpty()) {
        error = QStringLiteral("%1: byte %2 (line %3, column %4): ")
                    .arg(m_sourceName)
                    .arg(at.offset)
                    .arg(at.line)
                    .arg(at.column);
        if (!path.isEmpty())
            error += path + QStringLiteral(": ");
        error += what;
    }
    return false;
}

bool HarWalk::syntaxFailed(const QString &path)
{
    if (!m_scanner.failed())
        return false;
    fail(m_scanner.errorPosition(), path.isEmpty() ? QString() : QStringLiteral("in ") + path, m_scanner.error());
    return true;
}

bool HarWalk::expectKind(Kind wanted, const QString &path, const QString &what)
{
    const Kind found = m_scanner.peek();
    if (found == wanted)
        return true;
    if (syntaxFailed(path))
        return false;
    if (found == Kind::Invalid)
        return fail(m_scanner.position(), path,
                    QStringLiteral("expected %1, found %2 (not JSON)").arg(what, m_scanner.describeNext()));
    return fail(m_scanner.position(), path,
                QStringLiteral("expected %1, found %2").arg(what, JsonStreamScanner::kindName(found)));
}

std::optional<QJsonObject> HarWalk::readPicked(const QString &path, std::initializer_list<QLatin1StringView> keep,
                                               QHash<QString, Position> *positions)
{
    if (!expectKind(Kind::Object, path, QStringLiteral("an object")) || !m_scanner.enterObject())
        return std::nullopt;
    QJsonObject object;
    QString name;
    while (m_scanner.nextMember(&name)) {
        if (std::find(keep.begin(), keep.end(), name) == keep.end()) {
            if (!m_scanner.skipValue())
                break;
            continue;
        }
        m_scanner.peek();
        if (positions)
            positions->insert(name, m_scanner.position());
        std::optional<QJsonValue> value = m_scanner.readValue(m_options.maxValueBytes);
        if (!value) {
            syntaxFailed(path + u'.' + name);
            return std::nullopt;
        }
        object.insert(name, *value);
    }
    if (syntaxFailed(path))
        return std::nullopt;
    return object;
}

bool HarWalk::run()
{
    const Kind first = m_scanner.peek();
    if (first == Kind::EndOfInput)
        return fail(m_scanner.position(), {}, QStringLiteral("the file is empty; a HAR file is a JSON object"));
    if (first != Kind::Object) {
        if (syntaxFailed({}))
            return false;
        return fail(m_scanner.position(), {},
                    QStringLiteral("not a HAR file: expected a JSON object ('{') at the start, found %1")
                        .arg(m_scanner.describeNext()));
    }
    m_scanner.enterObject();
    bool logSeen = false;
    QString name;
    while (m_scanner.nextMember(&name)) {
        if (name == QLatin1StringView("log")) {
            logSeen = true;
            if (!readLog())
                return false;
        } else if (!m_scanner.skipValue()) {
            break;
        }
    }
    if (syntaxFailed({}))
        return false;
    if (!logSeen)
        return fail(m_scanner.position(), {},
                    QStringLiteral("no \"log\" member: not a HAR file (HAR 1.2 is {\"log\": {\"entries\": [...]}})"));
    if (!m_scanner.atEndOfDocument()) {
        if (syntaxFailed({}))
            return false;
        return fail(m_scanner.position(), {},
                    QStringLiteral("expected the end of the file after the HAR object, found %1")
                        .arg(m_scanner.describeNext()));
    }
    return true;
}

bool HarWalk::readLog()
{
    const QString path = QStringLiteral("log");
    if (!expectKind(Kind::Object, path, QStringLiteral("an object with \"entries\"")))
        return false;
    m_scanner.enterObject();
    bool entriesSeen = false;
    QString name;
    while (m_scanner.nextMember(&name)) {
        if (name == QLatin1StringView("entries")) {
            entriesSeen = true;
            if (!readEntries())
                return false;
        } else if (!m_scanner.skipValue()) {
            break;
        }
    }
    if (syntaxFailed(path))
        return false;
    if (!entriesSeen)
        return fail(m_scanner.position(), path, QStringLiteral("no \"entries\" array"));
    return true;
}

bool HarWalk::readEntries()
{
    const QString path = QStringLiteral("log.entries");
    if (!expectKind(Kind::Array, path, QStringLiteral("an array of entries")))
        return false;
    m_scanner.enterArray();
    while (m_scanner.nextElement()) {
        EntryState entry;
        entry.index = entries++;
        if (!readEntry(entry))
            return false;
    }
    return !syntaxFailed(path);
}

bool HarWalk::readEntry(EntryState &entry)
{
    const QString path = entryPath(entry);
    if (!expectKind(Kind::Object, path, QStringLiteral("an entry object")))
        return false;
    entry.at = m_scanner.position();
    m_scanner.enterObject();
    QString name;
    while (m_scanner.nextMember(&name)) {
        const QString memberPath = path + u'.' + name;
        m_scanner.peek();
        const Position at = m_scanner.position();
        if (name == QLatin1StringView("request")) {
            const auto request = readPicked(memberPath,
                                            {QLatin1StringView("method"), QLatin1StringView("url"),
                                             QLatin1StringView("httpVersion"), QLatin1StringView("headers")},
                                            &entry.requestAt);
            if (!request)
                return false;
            entry.request = *request;
        } else if (name == QLatin1StringView("response")) {
            // The body (content) is skipped: a WebSocket upgrade has none worth keeping, other entries may be huge.
            const auto response = readPicked(memberPath,
                                             {QLatin1StringView("status"), QLatin1StringView("statusText"),
                                              QLatin1StringView("httpVersion"), QLatin1StringView("headers")},
                                             &entry.responseAt);
            if (!response)
                return false;
            entry.response = *response;
        } else if (name == QLatin1StringView("startedDateTime") || name == QLatin1StringView("serverIPAddress") ||
                   name == QLatin1StringView("_resourceType")) {
            if (m_scanner.peek() == Kind::Null) {
                m_scanner.skipValue();
                continue;
            }
            if (!expectKind(Kind::String, memberPath, QStringLiteral("a string")))
                return false;
            const std::optional<QString> text = m_scanner.readShortString(4096);
            if (!text)
                return !syntaxFailed(memberPath);
            if (name == QLatin1StringView("startedDateTime")) {
                entry.started = *text;
                entry.startedAt = at;
            } else if (name == QLatin1StringView("serverIPAddress")) {
                entry.serverIp = *text;
            } else {
                entry.resourceType = *text;
            }
        } else if (name == QLatin1StringView("_serverPort")) { // Playwright
            const std::optional<QJsonValue> port = m_scanner.readValue(64);
            if (!port)
                return !syntaxFailed(memberPath);
            if (port->isDouble())
                entry.serverPort = port->toInt();
        } else if (name == QLatin1StringView("timings") || name == QLatin1StringView("_securityDetails")) {
            if (m_scanner.peek() != Kind::Object) {
                if (!m_scanner.skipValue())
                    return !syntaxFailed(memberPath);
                continue;
            }
            const std::optional<QJsonValue> value = m_scanner.readValue(m_options.maxValueBytes);
            if (!value)
                return !syntaxFailed(memberPath);
            (name == QLatin1StringView("timings") ? entry.timings : entry.securityDetails) = value->toObject();
        } else if (name == QLatin1StringView("_webSocketMessages")) {
            if (m_scanner.peek() == Kind::Null) { // some writers put null for "none"
                m_scanner.skipValue();
                continue;
            }
            if (!expectKind(Kind::Array, memberPath, QStringLiteral("an array of messages")))
                return false;
            entry.hasMessages = true;
            // Chrome writes the messages before startedDateTime, which their times are relative to: on a file, come
            // back for them at the end of the entry. A stream cannot go back; its times start at the first message.
            if (entry.started.isEmpty() && m_scanner.canSeek()) {
                entry.messagesAt = at;
                if (!m_scanner.skipValue())
                    return !syntaxFailed(memberPath);
            } else if (!readMessages(entry)) {
                return false;
            }
        } else if (!m_scanner.skipValue()) {
            return !syntaxFailed(memberPath);
        }
    }
    if (syntaxFailed(path))
        return false;
    return finishEntry(entry);
}

bool HarWalk::readMessages(EntryState &entry)
{
    if (!entry.zeroSeconds && !entry.started.isEmpty()) {
        const QDateTime started = QDateTime::fromString(entry.started, Qt::ISODateWithMs);
        if (!started.isValid())
            return fail(entry.startedAt, entryPath(entry) + QStringLiteral(".startedDateTime"),
                        QStringLiteral("\"%1\" is not an ISO 8601 date and time").arg(entry.started));
        entry.zeroSeconds = double(started.toMSecsSinceEpoch()) / 1000.0;
    }
    if (!entry.log)
        entry.log = std::make_shared<FrameLog>(m_options.budget);
    m_scanner.enterArray();
    qsizetype index = 0;
    while (m_scanner.nextElement()) {
        if (!readMessage(entry, index++))
            return false;
    }
    return !syntaxFailed(entryPath(entry) + QStringLiteral("._webSocketMessages"));
}

bool HarWalk::readMessage(EntryState &entry, qsizetype index)
{
    const auto path = [&](const char *member = nullptr) {
        QString p = messagePath(entry, index);
        if (member)
            p += u'.' + QLatin1StringView(member);
        return p;
    };
    if (!expectKind(Kind::Object, path(), QStringLiteral("a message object {type, time, opcode, data}")))
        return false;
    const Position at = m_scanner.position();
    m_scanner.enterObject();
    QString type;
    Position typeAt;
    std::optional<double> time;
    Position timeAt;
    std::optional<double> opcodeValue;
    Position opcodeAt;
    Position dataAt;
    // A Close frame's code and reason (at most 125 bytes) are read whatever the log keeps of payloads.
    MessageData data(std::max<qint64>(m_options.budget.maxStoredPerFrame, 125));
    QString name;
    while (m_scanner.nextMember(&name)) {
        m_scanner.peek();
        const Position valueAt = m_scanner.position();
        if (name == QLatin1StringView("type")) {
            typeAt = valueAt;
            if (!expectKind(Kind::String, path("type"), QStringLiteral("a string (\"send\" or \"receive\")")))
                return false;
            const std::optional<QString> text = m_scanner.readShortString(256);
            if (!text)
                return !syntaxFailed(path("type"));
            type = *text;
        } else if (name == QLatin1StringView("time") || name == QLatin1StringView("opcode")) {
            const bool isTime = name == QLatin1StringView("time");
            const char *member = isTime ? "time" : "opcode";
            if (!expectKind(Kind::Number, path(member),
                            isTime ? QStringLiteral("a number (seconds since the epoch)")
                                   : QStringLiteral("a number (1 text, 2 binary, 8 close, 9 ping, 10 pong)")))
                return false;
            const std::optional<double> number = m_scanner.readNumber();
            if (!number)
                return !syntaxFailed(path(member));
            (isTime ? time : opcodeValue) = *number;
            (isTime ? timeAt : opcodeAt) = valueAt;
        } else if (name == QLatin1StringView("data")) {
            dataAt = valueAt;
            if (m_scanner.peek() == Kind::Null) {
                m_scanner.skipValue();
                continue;
            }
            if (!expectKind(Kind::String, path("data"), QStringLiteral("a string (text, or base64 for binary)")))
                return false;
            if (!m_scanner.readString([&](QByteArrayView piece) {
                    data.add(piece);
                    return true;
                }))
                return !syntaxFailed(path("data"));
        } else if (!m_scanner.skipValue()) {
            return !syntaxFailed(path());
        }
    }
    if (syntaxFailed(path()))
        return false;

    if (type.isNull())
        return fail(at, path(), QStringLiteral("no \"type\" member (\"send\" or \"receive\")"));
    const bool failure = type == QLatin1StringView("error");
    if (!failure && type != QLatin1StringView("send") && type != QLatin1StringView("receive"))
        return fail(typeAt, path("type"), QStringLiteral("expected \"send\" or \"receive\", found \"%1\"").arg(type));
    if (!time)
        return fail(at, path(), QStringLiteral("no \"time\" member (seconds since the epoch)"));
    if (!std::isfinite(*time) || *time < 0)
        return fail(timeAt, path("time"), QStringLiteral("expected seconds since the epoch, found %1").arg(*time));
    const double seconds = epochSeconds(*time);
    if (!entry.zeroSeconds)
        entry.zeroSeconds = seconds; // a stream with no startedDateTime before its messages
    // Times are kept in order: a message stamped a little before the entry's start or its predecessor (writers
    // round differently) is put at that point rather than before it, so the log stays a timeline.
    const qint64 ns = std::max(entry.ending.lastNs, qint64(std::llround((seconds - *entry.zeroSeconds) * 1e9)));
    entry.ending.lastNs = ns;

    if (failure) { // Chrome: the connection failed; data is its reason in words
        entry.ending.error = QString::fromUtf8(data.kept());
        entry.ending.errorNs = ns;
        return true;
    }
    if (!opcodeValue)
        return fail(at, path(), QStringLiteral("no \"opcode\" member (1 text, 2 binary, 8 close, 9 ping, 10 pong)"));
    const double op = *opcodeValue;
    if (op != 1 && op != 2 && op != 8 && op != 9 && op != 10)
        return fail(opcodeAt, path("opcode"),
                    QStringLiteral("opcode %1 is not one a message can have: expected 1 (text), 2 (binary), 8 "
                                   "(close), 9 (ping) or 10 (pong)")
                        .arg(op));
    const quint8 opcode = quint8(op);
    const bool text = opcode == Opcodes::value(Opcode::Text);

    QByteArray payload;
    qint64 length = 0;
    if (text) {
        payload = data.kept();
        length = data.length();
    } else {
        const QString problem = data.base64Problem();
        if (!problem.isEmpty())
            return fail(dataAt, path("data"), problem);
        payload = data.decodedKept();
        length = data.decodedLength();
    }
    const Direction direction = type == QLatin1StringView("send") ? Direction::Outgoing : Direction::Incoming;
    const bool outgoing = direction == Direction::Outgoing;

    FrameRecord record;
    record.timeNs = ns;
    record.payloadLength = quint64(length);
    record.opcode = opcode;
    // A HAR keeps messages, not frames: each becomes one final frame, masked when the client sent it (RFC 6455
    // §5.3). The masking key is not in the file.
    record.flags = quint16(FrameRecord::Fin | (outgoing ? FrameRecord::Outgoing | FrameRecord::Masked : 0));
    const LengthEncoding encoding = length < 126     ? LengthEncoding::Bits7
                                    : length < 65536 ? LengthEncoding::Bits16
                                                     : LengthEncoding::Bits64;
    const int headerBytes = 2 +
                            (encoding == LengthEncoding::Bits16   ? 2
                             : encoding == LengthEncoding::Bits64 ? 8
                                                                  : 0) +
                            (outgoing ? 4 : 0);
    record.headerLength = quint8(headerBytes | (quint8(encoding) << 4));
    if (payload.size() < length)
        record.flags |= FrameRecord::PayloadTruncated; // the rest was counted, never kept
    const qsizetype frame = entry.log->appendFrame(record, payload);

    if (Opcodes::isData(opcode)) {
        MessageRecord message;
        message.timeNs = ns;
        message.firstFrame = quint64(frame);
        message.lastFrame = quint64(frame);
        message.wireLength = quint64(length);
        message.length = quint64(length);
        message.frameCount = 1;
        message.type = text ? MessageType::Text : MessageType::Binary;
        message.direction = direction;
        message.sharesFramePayload = true;
        entry.log->appendMessage(message, {});
    }
    EndingFacts &ending = entry.ending;
    if (opcode == Opcodes::value(Opcode::Close)) {
        if (!ending.firstClose) {
            ending.firstClose = direction;
            ending.firstCloseNs = ns;
        }
        ending.lastCloseNs = ns;
        (outgoing ? ending.closeSent : ending.closeReceived) = true;
        if (!outgoing && !ending.serverCode) {
            const ClosePayload close = ClosePayload::decode(payload);
            ending.serverCode = close.reportedCode();
            ending.serverReason = close.reason;
        }
    } else {
        (outgoing ? ending.lastOutgoingNs : ending.lastIncomingNs) = ns;
    }
    return true;
}

HttpHeaders headersFrom(const QJsonValue &value)
{
    HttpHeaders headers;
    for (const QJsonValue &header : value.toArray()) {
        const QJsonObject object = header.toObject();
        headers.append(object.value(QStringLiteral("name")).toString().toUtf8(),
                       object.value(QStringLiteral("value")).toString().toUtf8());
    }
    return headers;
}

qint64 msToNs(const QJsonValue &ms)
{
    // -1 and null both mean the phase did not happen (HAR 1.2; mitmproxy writes null).
    return ms.isDouble() && ms.toDouble() >= 0 ? qint64(std::llround(ms.toDouble() * 1e6)) : -1;
}

bool HarWalk::finishEntry(EntryState &entry)
{
    const QString path = entryPath(entry);
    // Headers are checked before the entry counts as a WebSocket or not: the upgrade header decides it.
    for (const auto &[object, positions, member] : {std::tuple{&entry.request, &entry.requestAt, "request"},
                                                    std::tuple{&entry.response, &entry.responseAt, "response"}}) {
        const QJsonValue headers = object->value(QStringLiteral("headers"));
        const QString headersPath = path + u'.' + QLatin1StringView(member) + QStringLiteral(".headers");
        if (headers.isUndefined())
            continue;
        const Position at = positions->value(QStringLiteral("headers"));
        if (!headers.isArray())
            return fail(at, headersPath,
                        QStringLiteral("expected an array of {name, value}, found %1").arg(jsonTypeName(headers)));
        const QJsonArray array = headers.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QJsonObject header = array.at(i).toObject();
            for (const char *field : {"name", "value"}) {
                const QJsonValue v = header.value(QLatin1StringView(field));
                if (!v.isString())
                    return fail(at, headersPath + QStringLiteral("[%1].%2").arg(i).arg(QLatin1StringView(field)),
                                QStringLiteral("expected a string, found %1").arg(jsonTypeName(v)));
            }
        }
    }
    const QJsonValue statusValue = entry.response.value(QStringLiteral("status"));
    if (!statusValue.isUndefined() && !statusValue.isDouble())
        return fail(entry.responseAt.value(QStringLiteral("status")), path + QStringLiteral(".response.status"),
                    QStringLiteral("expected a number, found %1").arg(jsonTypeName(statusValue)));
    const int status = statusValue.toInt();
    const HttpHeaders requestHeaders = headersFrom(entry.request.value(QStringLiteral("headers")));
    const QString urlText = entry.request.value(QStringLiteral("url")).toString();
    QUrl url(urlText);
    const bool webSocket = entry.hasMessages ||
                           entry.resourceType.compare(QLatin1StringView("websocket"), Qt::CaseInsensitive) == 0 ||
                           status == 101 || requestHeaders.containsToken("upgrade", "websocket") ||
                           url.scheme() == QLatin1StringView("ws") || url.scheme() == QLatin1StringView("wss");
    if (!webSocket)
        return true;

    if (entry.messagesAt) {
        const Position end = m_scanner.position();
        if (!m_scanner.seek(*entry.messagesAt) || !readMessages(entry) || !m_scanner.seek(end)) {
            syntaxFailed(path + QStringLiteral("._webSocketMessages"));
            return false;
        }
    }
    SessionRecords session;
    session.source = SessionRecords::Source::Har;
    session.sourcePath = m_sourcePath;
    // Proxies (mitmproxy) write the upgrade's URL as http(s); the session is the ws(s) one.
    if (url.scheme() == QLatin1StringView("http"))
        url.setScheme(QStringLiteral("ws"));
    else if (url.scheme() == QLatin1StringView("https"))
        url.setScheme(QStringLiteral("wss"));
    session.url = url;
    if (entry.zeroSeconds) {
        session.startedAt = QDateTime::fromMSecsSinceEpoch(qint64(std::llround(*entry.zeroSeconds * 1000.0))).toUTC();
    } else if (!entry.started.isEmpty()) {
        session.startedAt = QDateTime::fromString(entry.started, Qt::ISODateWithMs);
        if (!session.startedAt.isValid())
            return fail(entry.startedAt, path + QStringLiteral(".startedDateTime"),
                        QStringLiteral("\"%1\" is not an ISO 8601 date and time").arg(entry.started));
    }
    session.log = entry.log ? entry.log : std::make_shared<FrameLog>(m_options.budget);

    HandshakeRecord &h = session.handshake;
    h.requestHeaders = requestHeaders;
    const QByteArray method = entry.request.value(QStringLiteral("method")).toString(QStringLiteral("GET")).toUtf8();
    const auto httpVersion = [](const QJsonValue &value) {
        const QByteArray text = value.toString().toUtf8();
        // Chrome writes "http/1.1" or nothing for some upgrades; the raw view shows what HTTP/1.1 would say.
        return text.toUpper().startsWith("HTTP/") ? text.toUpper() : QByteArray("HTTP/1.1");
    };
    QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
    if (target.isEmpty())
        target = "/";
    // Not the bytes that crossed the wire (a HAR keeps fields, not bytes) but what they said, as HTTP/1.1 text.
    h.requestBytes = method + ' ' + target + ' ' + httpVersion(entry.request.value(QStringLiteral("httpVersion"))) +
                     "\r\n" + requestHeaders.toWire() + "\r\n";
    if (status > 0) {
        HandshakeResponse &r = h.response;
        h.responseReceived = true;
        r.statusCode = status;
        r.reasonPhrase = entry.response.value(QStringLiteral("statusText")).toString().toUtf8();
        r.httpVersion = httpVersion(entry.response.value(QStringLiteral("httpVersion")));
        r.headers = headersFrom(entry.response.value(QStringLiteral("headers")));
        r.raw = r.httpVersion + ' ' + QByteArray::number(status) + ' ' + r.reasonPhrase + "\r\n" + r.headers.toWire() +
                "\r\n";
        h.accepted = status == 101;
        h.subprotocol = QString::fromUtf8(r.headers.value("sec-websocket-protocol"));
        h.extensions = r.headers.listElements("sec-websocket-extensions");
        if (!h.accepted)
            h.explanation = QStringLiteral("the server answered %1 %2 instead of 101 Switching Protocols")
                                .arg(status)
                                .arg(QString::fromUtf8(r.reasonPhrase))
                                .trimmed();
    } else {
        h.explanation = QStringLiteral("the HAR file records no response to the upgrade request");
    }
    ConnectTimings &t = h.timings;
    t.dnsNs = msToNs(entry.timings.value(QStringLiteral("dns")));
    const qint64 connectNs = msToNs(entry.timings.value(QStringLiteral("connect")));
    t.tlsNs = msToNs(entry.timings.value(QStringLiteral("ssl")));
    // HAR's connect includes the TLS handshake (HAR 1.2 §timings); ours is the TCP part alone.
    t.connectNs = connectNs >= 0 && t.tlsNs > 0 ? std::max<qint64>(0, connectNs - t.tlsNs) : connectNs;
    qint64 upgradeNs = -1;
    for (const char *phase : {"send", "wait", "receive"}) {
        const qint64 ns = msToNs(entry.timings.value(QLatin1StringView(phase)));
        if (ns >= 0)
            upgradeNs = std::max<qint64>(upgradeNs, 0) + ns;
    }
    t.upgradeNs = upgradeNs;
    h.tlsProtocol = entry.securityDetails.value(QStringLiteral("protocol")).toString();
    if (!entry.serverIp.isEmpty()) {
        const int port = entry.serverPort.value_or(url.port(url.scheme() == QLatin1StringView("wss") ? 443 : 80));
        const QString ip = entry.serverIp.startsWith(u'[') ? entry.serverIp.mid(1).chopped(1) : entry.serverIp;
        h.peerAddress =
            ip.contains(u':') ? QStringLiteral("[%1]:%2").arg(ip).arg(port) : QStringLiteral("%1:%2").arg(ip).arg(port);
    }

    const EndingFacts &e = entry.ending;
    if (e.firstClose || !e.error.isEmpty()) {
        CloseRecord close;
        if (e.firstClose) {
            close.initiator =
                *e.firstClose == Direction::Outgoing ? CloseRecord::Initiator::Client : CloseRecord::Initiator::Server;
            close.code = e.serverCode.value_or(1006);
            close.reason = e.serverReason;
            close.clean = e.closeSent && e.closeReceived;
            close.closeSent = e.closeSent;
            close.closeReceived = e.closeReceived;
            close.atNs = e.lastCloseNs;
        } else {
            close.atNs = e.errorNs;
        }
        close.error = e.error;
        close.idleInNs = close.atNs - std::max<qint64>(0, e.lastIncomingNs);
        close.idleOutNs = close.atNs - std::max<qint64>(0, e.lastOutgoingNs);
        session.close = close;
    }
    sessions.append(std::move(session));
    return true;
}

} // namespace

HarReader::HarReader(const Options &options)
    : m_options(options)
{}

std::optional<QList<SessionRecords>> HarReader::readFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("cannot read '%1': %2").arg(path, file.errorString());
        return std::nullopt;
    }
    return read(&file, QFileInfo(path).fileName(), QFileInfo(path).absoluteFilePath());
}

std::optional<QList<SessionRecords>> HarReader::read(QIODevice *device, const QString &sourceName,
                                                     const QString &sourcePath)
{
    m_error.clear();
    HarWalk walk(device, sourceName, sourcePath, m_options);
    const bool read = walk.run();
    m_entryCount = walk.entries;
    if (!read) {
        m_error = walk.error;
        return std::nullopt;
    }
    return std::move(walk.sessions);
}

} // namespace wsi
