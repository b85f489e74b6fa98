// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_recording: how fast a session's recording is written (RecordingWriter: SQLite in WAL mode, one
// transaction per batch, as SessionRecorder does every 100 ms), against writing the same bytes to a plain file with
// the same batches in the same run. Prints `name: value unit`.
//
//   wsi_bench_recording [--tiny] [--frames N] [--payload BYTES] [--batch N]
//
// Defaults: 1,000,000 frames of 32 bytes (each a one-frame text message, so a frame row and a message row), in
// batches of 20,000 (100 ms at 200,000 frames/s). --tiny: 2,000 frames, for CI. Best of 3 rounds (1 with --tiny).
#include "BenchArguments.h"
#include "core/recordings/RecordingWriter.h"
#include "core/records/FrameLog.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>
#include <limits>

using namespace wsi;

namespace {

struct Figures {
    qint64 bestNs = std::numeric_limits<qint64>::max();
    qint64 fileBytes = 0;
};

qint64 fileSize(const QString &path)
{
    qint64 size = 0;
    for (const QString &file : QStringList{path, path + QStringLiteral("-wal")})
        size += QFile(file).size();
    return size;
}

// What the recorder does, batch by batch (RecordingWriter::writeNewRecords, as SessionRecorder calls it).
bool record(const FrameLog &log, const QString &path, qsizetype batch, QString *error)
{
    RecordingWriter writer;
    if (!writer.create(path,
                       RecordingWriter::SessionInfo{QUrl(QStringLiteral("ws://127.0.0.1:9/")),
                                                    QDateTime::currentDateTimeUtc(),
                                                    QStringLiteral("bench"),
                                                    {}},
                       error))
        return false;
    RecordingWriter::LogPosition position;
    while (position.frames < log.frameCount()) {
        if (!writer.begin(error) || !writer.writeNewRecords(log, position, nullptr, error, position.frames + batch) ||
            !writer.commit(error))
            return false;
    }
    return true;
}

// The baseline: the same fields and payload bytes appended to a plain file, flushed to the OS after each batch
// (what an SQLite WAL commit with synchronous=NORMAL amounts to: no fsync).
bool writePlain(const FrameLog &log, const QString &path, qsizetype batch, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = file.errorString();
        return false;
    }
    for (qsizetype from = 0; from < log.frameCount(); from += batch) {
        const qsizetype to = std::min(log.frameCount(), from + batch);
        for (qsizetype i = from; i < to; ++i) {
            const FrameRecord &frame = log.frame(i);
            const MessageRecord &message = log.message(i);
            const QByteArrayView payload = log.framePayload(i);
            file.write(reinterpret_cast<const char *>(&frame), sizeof frame);
            file.write(reinterpret_cast<const char *>(&message), sizeof message);
            file.write(payload.data(), payload.size());
        }
        if (!file.flush()) {
            *error = file.errorString();
            return false;
        }
    }
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    const bool tiny = args.contains(QStringLiteral("--tiny"));
    auto option = [&](const char *name, qsizetype fallback) {
        return qsizetype(wsi::bench::numberArgument(args, QLatin1StringView(name), fallback));
    };
    const qsizetype frames = option("--frames", tiny ? 2000 : 1'000'000);
    const qsizetype payloadBytes = option("--payload", 32);
    const qsizetype batch = option("--batch", 20000);
    const int rounds = tiny ? 1 : 3;

    FrameLog log;
    const QByteArray payload(payloadBytes, 'x');
    for (qsizetype i = 0; i < frames; ++i) {
        FrameHeader header;
        header.fin = true;
        header.opcode = 0x1;
        header.payloadLength = quint64(payloadBytes);
        header.headerLength = 2;
        const qsizetype index =
            log.appendFrame(FrameRecord::fromHeader(header, i * 5000, Direction::Incoming), payload);
        MessageRecord message;
        message.timeNs = i * 5000;
        message.firstFrame = message.lastFrame = quint64(index);
        message.length = message.wireLength = quint64(payloadBytes);
        message.frameCount = 1;
        message.sharesFramePayload = true;
        log.appendMessage(message, payload);
    }

    QTemporaryDir dir;
    Figures recording;
    Figures plain;
    for (int round = 0; round < rounds; ++round) {
        QString error;
        const QString recordingPath = dir.filePath(QStringLiteral("bench-%1.wsirec").arg(round));
        QElapsedTimer clock;
        clock.start();
        if (!record(log, recordingPath, batch, &error)) {
            std::fprintf(stderr, "recording failed: %s\n", qPrintable(error));
            return 1;
        }
        recording.bestNs = std::min(recording.bestNs, clock.nsecsElapsed());
        recording.fileBytes = fileSize(recordingPath);

        const QString plainPath = dir.filePath(QStringLiteral("bench-%1.bin").arg(round));
        clock.restart();
        if (!writePlain(log, plainPath, batch, &error)) {
            std::fprintf(stderr, "plain file failed: %s\n", qPrintable(error));
            return 1;
        }
        plain.bestNs = std::min(plain.bestNs, clock.nsecsElapsed());
        plain.fileBytes = fileSize(plainPath);
        QFile::remove(recordingPath);
        QFile::remove(recordingPath + QStringLiteral("-wal"));
        QFile::remove(plainPath);
    }

    const double payloadMB = double(frames) * double(payloadBytes) / 1e6;
    auto report = [&](const char *name, const Figures &f) {
        const double seconds = double(f.bestNs) / 1e9;
        std::printf("%s_frames_per_s: %.0f frames/s\n", name, double(frames) / seconds);
        std::printf("%s_payload_MB_per_s: %.1f MB/s\n", name, payloadMB / seconds);
        std::printf("%s_file_bytes_per_frame: %.1f bytes\n", name, double(f.fileBytes) / double(frames));
    };
    std::printf("frames: %lld of %lld bytes, batches of %lld\n", static_cast<long long>(frames),
                static_cast<long long>(payloadBytes), static_cast<long long>(batch));
    report("recording", recording);
    report("plain_file", plain);
    std::printf("recording_vs_plain_file: %.3fx\n", double(plain.bestNs) / double(recording.bestNs));
    return 0;
}
