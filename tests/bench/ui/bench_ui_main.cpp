// SPDX-License-Identifier: GPL-3.0-or-later
// wsi_bench_ui: how the window's views keep up with a fast session, against a plain QStandardItemModel fed the same
// frames in the same run. Runs offscreen; prints one figure per line as `name: value unit`.
//
//   wsi_bench_ui [--tiny] [--frames N] [--baseline-frames N] [--rate FRAMES_PER_S]
//
// --rate paces the producer (default: as fast as it can, the engine being faster than any of these views).
// --baseline-frames feeds the baseline fewer frames than our views (default: as many): at 10,000,000 frames the
// QStandardItemModel needs about 18 GB and 85 s, more than a shared machine should give a benchmark. Its rate and
// memory per frame stay comparable; the stall ratios then compare runs of different lengths, and say so.
//
// A producer thread appends N frames (90% JSON-like text of 20-200 B, the rest binary, a ping or pong every 100
// frames, both directions, increasing times) to a FrameLog as fast as it can, while the GUI thread runs a 16 ms
// timer calling FrameTableModel::refresh() and TimelineWidget::refresh() (what the window does on
// Session::framesAppended), with a QTableView and the TimelineWidget shown. A 1 ms timer on the GUI thread records
// its lateness at every tick: the event-loop stalls. Then a substring and a regex filter are applied over all the
// frames, and the timeline and the table are repainted.
//
// The baseline reads the same frames from a FrameLog the same way, but appends them to a QStandardItemModel (one
// row of 7 QStandardItems per frame, appendRow, in the same 16 ms batches) shown in a QTableView. Its memory per
// frame includes the FrameLog's records, which it reads from.
//
// Each part runs in a child process of its own (forked before any QApplication exists), so that neither inherits
// the other's freed memory in its RSS figures. Figures are reported, not asserted: the exit code is non-zero only
// if something did not complete.
#include "core/appprotocol/DecodedMessageIndex.h"
#include "core/records/FrameLog.h"
#include "ui/frames/FrameFilter.h"
#include "ui/frames/FrameTableModel.h"
#include "ui/frames/FrameTableView.h"
#include "ui/frames/ProtocolDecoding.h"
#include "ui/frames/TimelineWidget.h"
#include "ui/widgets/RefreshPacer.h"

#include <QApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QImage>
#include <QScrollBar>
#include <QStandardItemModel>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace wsi;

namespace {

constexpr qint64 msNs = 1'000'000;
constexpr qint64 completionTimeoutMs = 120'000;
constexpr qint64 filterTimeoutMs = 60'000;

// Frames per second the producer is paced to (--rate); 0: as fast as it can.
qint64 g_rate = 0;

// ---------------------------------------------------------------------------------------------------------------
// Workload

struct FrameSpec {
    qint64 timeNs = 0;
    qint64 offset = 0; // into Workload::payloads
    quint32 length = 0;
    quint8 opcode = 0;
    bool outgoing = false;
    bool message = false; // a whole data message too, as a session logs one after its last frame
};

struct Workload {
    QByteArray payloads;
    std::vector<FrameSpec> frames;
};

const char *const symbols[] = {"BTC-USD", "ETH-USD", "SOL-USD", "ADA-EUR", "XRP-GBP"};

Workload makeWorkload(qsizetype count)
{
    static const char *const types[] = {"trade", "quote", "book", "order", "ticker", "fill"};
    std::mt19937_64 rng(20261121);
    Workload w;
    w.frames.reserve(size_t(count));
    w.payloads.reserve(count * 120);
    qint64 timeNs = 0;
    std::string text;
    for (qsizetype i = 0; i < count; ++i) {
        FrameSpec spec;
        timeNs += 200 + qint64(rng() % 20'000); // 0.2-20 µs apart: a fast feed
        spec.timeNs = timeNs;
        spec.offset = w.payloads.size();
        if (i % 100 == 99) { // ping, or the pong answering the previous ping
            spec.opcode = (i / 100) % 2 == 0 ? 0x9 : 0xA;
            spec.outgoing = spec.opcode == 0x9;
            const quint64 token = rng();
            w.payloads.append(reinterpret_cast<const char *>(&token), sizeof token);
            spec.length = sizeof token;
        } else if (rng() % 10 == 0) { // binary, 16-1024 bytes
            spec.opcode = 0x2;
            spec.outgoing = rng() % 4 == 0;
            spec.length = quint32(16 + rng() % 1009);
            for (quint32 b = 0; b < spec.length; ++b)
                w.payloads.append(char(rng() & 0xff));
        } else { // JSON-like text, 20-200 bytes; now and then an error
            spec.opcode = 0x1;
            spec.outgoing = rng() % 4 == 0;
            const size_t target = size_t(20 + rng() % 181);
            const bool error = rng() % 100 == 0;
            text = "{\"type\":\"";
            text += error ? "error" : types[rng() % std::size(types)];
            text += "\",\"id\":" + std::to_string(i) + ",\"sym\":\"" + symbols[rng() % std::size(symbols)] +
                    "\",\"px\":" + std::to_string(1000 + rng() % 90'000) + "." + std::to_string(rng() % 100) +
                    ",\"qty\":" + std::to_string(1 + rng() % 50) + ",\"note\":\"";
            while (text.size() + 2 < target)
                text += char('a' + rng() % 26);
            text += "\"}";
            text.resize(std::min(text.size(), target));
            w.payloads.append(text.data(), qsizetype(text.size()));
            spec.length = quint32(text.size());
        }
        w.frames.push_back(spec);
    }
    return w;
}

// A Socket.IO 4 session (socket.io 4.8 writes these packets): the Engine.IO open packet, then market data events
// from the server, now and then an order from the client asking for an ack and the server's ACK, and Engine.IO's
// ping and pong; every frame a whole text message.
Workload makeSocketIoWorkload(qsizetype count)
{
    static const char *const events[] = {"trade", "quote", "book", "ticker"};
    std::mt19937_64 rng(20261207);
    Workload w;
    w.frames.reserve(size_t(count));
    w.payloads.reserve(count * 80);
    qint64 timeNs = 0;
    qint64 ack = 0;
    std::string text;
    for (qsizetype i = 0; i < count; ++i) {
        FrameSpec spec;
        timeNs += 200 + qint64(rng() % 20'000);
        spec.timeNs = timeNs;
        spec.offset = w.payloads.size();
        spec.opcode = 0x1;
        spec.message = true;
        const quint64 pick = rng() % 100;
        if (i == 0) {
            text = R"(0{"sid":"bench","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000})";
        } else if (pick < 2) { // an order asking for an ack
            spec.outgoing = true;
            text = "42" + std::to_string(++ack) + R"(["order",{"sym":")" + symbols[rng() % std::size(symbols)] +
                   R"(","qty":)" + std::to_string(1 + rng() % 50) + "}]";
        } else if (pick < 4 && ack > 0) { // the server's ACK of the latest order
            text = "43" + std::to_string(ack) + R"([{"ok":true,"id":)" + std::to_string(rng() % 1'000'000) + "}]";
        } else if (pick == 4) {
            spec.outgoing = i % 2 == 1;
            text = spec.outgoing ? "3" : "2";
        } else {
            text = std::string(R"(42[")") + events[rng() % std::size(events)] + R"(",{"sym":")" +
                   symbols[rng() % std::size(symbols)] + R"(","px":)" + std::to_string(1000 + rng() % 90'000) + "." +
                   std::to_string(rng() % 100) + R"(,"qty":)" + std::to_string(1 + rng() % 50) + "}]";
        }
        w.payloads.append(text.data(), qsizetype(text.size()));
        spec.length = quint32(text.size());
        w.frames.push_back(spec);
    }
    return w;
}

FrameRecord recordFor(const FrameSpec &spec)
{
    FrameHeader header;
    header.opcode = spec.opcode;
    header.masked = spec.outgoing; // a client masks what it sends
    header.maskingKey = {0x12, 0x34, 0x56, 0x78};
    header.payloadLength = spec.length;
    header.lengthEncoding = spec.length < 126 ? LengthEncoding::Bits7 : LengthEncoding::Bits16;
    header.headerLength = quint8(2 + (spec.length < 126 ? 0 : 2) + (spec.outgoing ? 4 : 0));
    return FrameRecord::fromHeader(header, spec.timeNs, spec.outgoing ? Direction::Outgoing : Direction::Incoming);
}

// Appends every frame of `w` to `log` as fast as it can, on a thread of its own.
class Producer
{
public:
    Producer(const Workload &w, FrameLog &log, const QElapsedTimer &clock)
        : m_thread([&w, &log, &clock, this] {
            const qsizetype count = qsizetype(w.frames.size());
            for (qsizetype i = 0; i < count; ++i) {
                const FrameSpec &spec = w.frames[size_t(i)];
                const QByteArrayView payload(w.payloads.constData() + spec.offset, spec.length);
                const FrameRecord record = recordFor(spec);
                const qsizetype frame = log.appendFrame(record, payload);
                if (spec.message) {
                    MessageRecord message;
                    message.timeNs = spec.timeNs;
                    message.firstFrame = message.lastFrame = quint64(frame);
                    message.length = message.wireLength = spec.length;
                    message.frameCount = 1;
                    message.direction = record.direction();
                    log.appendMessage(message, payload);
                }
                if (g_rate > 0 && i % 256 == 255) { // paced: wait until frame i is due
                    const qint64 dueNs = i * 1'000'000'000 / g_rate;
                    const qint64 nowNs = clock.nsecsElapsed();
                    if (dueNs > nowNs)
                        std::this_thread::sleep_for(std::chrono::nanoseconds(dueNs - nowNs));
                }
            }
            m_doneNs.store(clock.nsecsElapsed(), std::memory_order_release);
        })
    {}
    ~Producer() { join(); }
    Q_DISABLE_COPY_MOVE(Producer)

    void join()
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    qint64 doneNs() const { return m_doneNs.load(std::memory_order_acquire); }

private:
    std::atomic<qint64> m_doneNs{-1};
    std::thread m_thread;
};

// ---------------------------------------------------------------------------------------------------------------
// Measuring

qint64 residentBytes()
{
    FILE *f = std::fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    long long size = 0;
    long long resident = 0;
    const int read = std::fscanf(f, "%lld %lld", &size, &resident);
    std::fclose(f);
    return read == 2 ? resident * sysconf(_SC_PAGESIZE) : 0;
}

struct StallStats {
    double p99Ms = 0;
    double maxMs = 0;
    qsizetype ticks = 0;
    // The same over the GUI thread's own CPU time between ticks: how long our code kept the event loop busy,
    // without the time the thread merely waited for a core (on a shared 2-core machine, tens of ms at times).
    double busyP99Ms = 0;
    double busyMaxMs = 0;
};

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

// A 1 ms timer on the GUI thread; every tick records how late it came (interval beyond 1 ms), and how much of the
// interval the thread spent running.
class StallMonitor
{
public:
    StallMonitor()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(1);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            m_lateness.push_back(std::max<qint64>(0, now - m_lastNs - msNs));
            m_busy.push_back(cpu - m_lastCpuNs);
            m_lastNs = now;
            m_lastCpuNs = cpu;
        });
    }
    Q_DISABLE_COPY_MOVE(StallMonitor)

    void start()
    {
        m_lateness.clear();
        m_lateness.reserve(1 << 16);
        m_busy.clear();
        m_busy.reserve(1 << 16);
        m_clock.start();
        m_lastNs = 0;
        m_lastCpuNs = threadCpuNs();
        m_timer.start();
    }
    StallStats stop()
    {
        m_timer.stop();
        // The time since the last tick counts too: a stall at the very end would otherwise go unseen.
        m_lateness.push_back(std::max<qint64>(0, m_clock.nsecsElapsed() - m_lastNs - msNs));
        m_busy.push_back(threadCpuNs() - m_lastCpuNs);
        StallStats stats;
        stats.ticks = qsizetype(m_lateness.size());
        const auto percentiles = [](std::vector<qint64> values, double &p99Ms, double &maxMs) {
            std::sort(values.begin(), values.end());
            const size_t p99 = size_t(std::ceil(0.99 * double(values.size()))) - 1;
            p99Ms = double(values[std::min(p99, values.size() - 1)]) / double(msNs);
            maxMs = double(values.back()) / double(msNs);
        };
        percentiles(m_lateness, stats.p99Ms, stats.maxMs);
        percentiles(m_busy, stats.busyP99Ms, stats.busyMaxMs);
        return stats;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    std::vector<qint64> m_lateness;
    qint64 m_lastCpuNs = 0;
    std::vector<qint64> m_busy;
};

// Figures go to `out` (a pipe to the parent process) as `name: value unit`.
class Reporter
{
public:
    explicit Reporter(FILE *out)
        : m_out(out)
    {}
    void figure(const char *name, double value, const char *unit) const
    {
        if (std::fabs(value) >= 1000 || value == std::floor(value))
            std::fprintf(m_out, "%s: %.0f %s\n", name, value, unit);
        else
            std::fprintf(m_out, "%s: %.3f %s\n", name, value, unit);
        std::fflush(m_out);
    }
    void stalls(const char *prefix, const StallStats &s) const
    {
        figure((std::string(prefix) + "_stall_p99").c_str(), s.p99Ms, "ms");
        figure((std::string(prefix) + "_stall_max").c_str(), s.maxMs, "ms");
        figure((std::string(prefix) + "_stall_ticks").c_str(), double(s.ticks), "ticks");
        figure((std::string(prefix) + "_busy_p99").c_str(), s.busyP99Ms, "ms");
        figure((std::string(prefix) + "_busy_max").c_str(), s.busyMaxMs, "ms");
    }
    void note(const char *text) const
    {
        std::fprintf(m_out, "# %s\n", text);
        std::fflush(m_out);
    }

private:
    FILE *m_out;
};

// Lets the window show and settle before measuring.
void settle(int ms)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < ms)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

struct IngestResult {
    bool ok = false;
    double seconds = 0;
    double producerSeconds = 0;
    StallStats stalls;
    qint64 rssDelta = 0;
    qsizetype batches = 0;
    qint64 maxRefreshNs = 0; // the longest refresh (the model, the view's reaction to its insertion, the timeline)
    qint64 totalRefreshNs = 0;
};

// Starts the producer and a 16 ms timer calling `refresh` until `visibleRows()` reaches the frame count; measures
// wall time and GUI stalls meanwhile.
template<typename Refresh, typename Rows>
IngestResult ingest(const Workload &w, FrameLog &log, Refresh refresh, Rows visibleRows)
{
    IngestResult result;
    const qint64 target = qint64(w.frames.size());
    const qint64 rssBefore = residentBytes();
    QEventLoop loop;
    QTimer refreshTimer;
    refreshTimer.setTimerType(Qt::PreciseTimer);
    refreshTimer.setInterval(16);
    StallMonitor monitor;
    QElapsedTimer clock;
    qint64 doneNs = -1;
    QObject::connect(&refreshTimer, &QTimer::timeout, &loop, [&] {
        QElapsedTimer spent;
        spent.start();
        refresh();
        const qint64 ns = spent.nsecsElapsed();
        ++result.batches;
        result.maxRefreshNs = std::max(result.maxRefreshNs, ns);
        result.totalRefreshNs += ns;
        if (doneNs < 0 && visibleRows() >= target) {
            doneNs = clock.nsecsElapsed();
            loop.quit();
        }
    });
    QTimer::singleShot(completionTimeoutMs, &loop, &QEventLoop::quit);
    monitor.start();
    refreshTimer.start();
    clock.start();
    {
        Producer producer(w, log, clock);
        loop.exec();
        producer.join();
        result.producerSeconds = double(producer.doneNs()) / 1e9;
    }
    refreshTimer.stop();
    result.stalls = monitor.stop();
    result.ok = doneNs >= 0;
    result.seconds = double(doneNs) / 1e9;
    settle(100); // the last batch painted
    result.rssDelta = residentBytes() - rssBefore;
    return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Our views

bool applyFilter(FrameTableModel &model, const FrameFilter &filter, double &seconds, StallStats &stalls,
                 qsizetype &visibleRows)
{
    QEventLoop loop;
    bool done = false;
    const auto connection = QObject::connect(&model, &FrameTableModel::filterFinished, &loop, [&](qsizetype rows) {
        visibleRows = rows;
        done = true;
        loop.quit();
    });
    StallMonitor monitor;
    QElapsedTimer clock;
    monitor.start();
    clock.start();
    model.setFilter(filter);
    if (!done) {
        QTimer::singleShot(filterTimeoutMs, &loop, &QEventLoop::quit);
        loop.exec();
    }
    seconds = double(clock.nsecsElapsed()) / 1e9;
    stalls = monitor.stop();
    QObject::disconnect(connection);
    return done;
}

int runOurs(const Workload &w, const Reporter &out)
{
    const qsizetype count = qsizetype(w.frames.size());
    auto log = std::make_shared<FrameLog>();
    FrameTableModel model(log, QDateTime::currentDateTime());
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *table = new FrameTableView(&window); // the window's table, for both models
    auto *timeline = new TimelineWidget(&window);
    table->setModel(&model);
    layout->addWidget(table, 1);
    layout->addWidget(timeline);
    timeline->setFrameLog(log);
    timeline->fitAll();
    window.resize(1280, 800);
    window.show();
    settle(300);

    // The window's policy (SessionView): every notification while frames trickle in, RefreshPacer's pace in floods.
    RefreshPacer pacer([&] {
        model.refresh();
        timeline->refresh();
    });
    // Following the latest rows as SessionView does: once a burst is all in, not at each of its slices.
    QObject::connect(&model, &FrameTableModel::rowsInserted, table, [&] {
        if (model.isCaughtUp())
            table->scrollToBottom();
    });
    QObject::connect(&model, &FrameTableModel::burstCaughtUp, table, [&] { table->scrollToBottom(); });
    const IngestResult r = ingest(
        w, *log, [&] { pacer.framesArrived(log->frameCount()); }, [&] { return qint64(model.rowCount()); });
    if (!r.ok) {
        std::fprintf(stderr, "wsi_bench_ui: the model did not receive all %lld frames within %lld s\n",
                     static_cast<long long>(count), static_cast<long long>(completionTimeoutMs / 1000));
        return 1;
    }
    out.figure("frames", double(count), "frames");
    out.figure("producer_pace", double(g_rate), "frames/s (0: as fast as it can)");
    out.figure("producer_rate", double(count) / r.producerSeconds, "frames/s");
    out.figure("ingest", double(count) / r.seconds, "frames/s");
    out.figure("target_ingest", 100000, "frames/s");
    out.stalls("ingest", r.stalls);
    out.figure("ingest_refresh_batches", double(r.batches), "batches");
    out.figure("ingest_refresh_mean",
               double(r.totalRefreshNs) / double(std::max<qsizetype>(1, r.batches)) / double(msNs), "ms");
    out.figure("ingest_refresh_max", double(r.maxRefreshNs) / double(msNs), "ms");
    out.figure("target_stall_p99", 16, "ms");
    out.figure("target_stall_max", 100, "ms");
    const double payload = double(log->payloadBytesStored());
    out.figure("payload_bytes_stored", payload, "bytes");
    out.figure("rss_growth", double(r.rssDelta), "bytes");
    out.figure("memory_per_frame", (double(r.rssDelta) - payload) / double(count), "bytes/frame");
    out.figure("target_memory_per_frame", 64, "bytes/frame");
    out.figure("framelog_memory_used", double(log->memoryUsed()), "bytes");
    out.figure("framelog_memory_per_frame", (double(log->memoryUsed()) - payload) / double(count), "bytes/frame");

    // Filters over every frame, the window showing.
    struct FilterCase {
        const char *name;
        FrameFilter filter;
    };
    FilterCase cases[2];
    cases[0].name = "filter_substring";
    cases[0].filter.text = QStringLiteral("\"type\":\"error\"");
    cases[1].name = "filter_regex";
    cases[1].filter.regex = QRegularExpression(QStringLiteral("\"sym\":\"(ETH|SOL)-USD\",\"px\":\\d+7\\."));
    for (const FilterCase &c : cases) {
        double seconds = 0;
        StallStats stalls;
        qsizetype rows = -1;
        if (!applyFilter(model, c.filter, seconds, stalls, rows)) {
            std::fprintf(stderr, "wsi_bench_ui: %s did not finish within %lld s\n", c.name,
                         static_cast<long long>(filterTimeoutMs / 1000));
            return 1;
        }
        const std::string name = c.name;
        out.figure((name + "_time").c_str(), seconds, "s");
        out.figure((name + "_rows").c_str(), double(rows), "rows");
        out.stalls(c.name, stalls);
        settle(50);
    }
    out.figure("target_filter_time", 0.5, "s");
    {
        double seconds = 0;
        StallStats stalls;
        qsizetype rows = -1;
        if (!applyFilter(model, FrameFilter{}, seconds, stalls, rows)) {
            std::fprintf(stderr, "wsi_bench_ui: clearing the filter did not finish\n");
            return 1;
        }
        out.figure("filter_clear_time", seconds, "s");
    }
    settle(50);

    // Timeline at every frame, fit-all view (once it has summarised the last of them).
    timeline->refresh();
    for (QElapsedTimer waited; !timeline->isCaughtUp();) {
        if (!waited.isValid())
            waited.start();
        if (waited.elapsed() > completionTimeoutMs) {
            std::fprintf(stderr, "wsi_bench_ui: the timeline did not catch up\n");
            return 1;
        }
        settle(10);
    }
    timeline->fitAll();
    constexpr int repaints = 20;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < repaints; ++i)
        timeline->repaint();
    out.figure("timeline_repaint", double(clock.nsecsElapsed()) / repaints / double(msNs), "ms");
    QImage image(timeline->size(), QImage::Format_ARGB32_Premultiplied);
    clock.start();
    for (int i = 0; i < repaints; ++i)
        timeline->render(&image);
    out.figure("timeline_render_qimage", double(clock.nsecsElapsed()) / repaints / double(msNs), "ms");
    out.figure("target_timeline_repaint", 16, "ms");
    out.figure("timeline_width", timeline->width(), "px");

    // The table: jumps to random rows (rows not in the display cache), each repainted at once.
    std::mt19937 rng(7);
    QScrollBar *bar = table->verticalScrollBar();
    clock.start();
    for (int i = 0; i < repaints; ++i) {
        bar->setValue(int(rng() % quint32(std::max(1, bar->maximum()))));
        table->viewport()->repaint();
    }
    out.figure("table_scroll_repaint", double(clock.nsecsElapsed()) / repaints / double(msNs), "ms");
    // The same rows again (display strings cached): what every refresh while following the end costs.
    clock.start();
    for (int i = 0; i < repaints; ++i)
        table->viewport()->repaint();
    out.figure("table_repaint", double(clock.nsecsElapsed()) / repaints / double(msNs), "ms");
    return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Application protocol decoding: the same Socket.IO session taken in by the table with the Protocol column decoded
// (the handshake's URL given, so ProtocolDecoding follows the log) and without (no handshake facts: nothing is
// decoded), each in a process of its own.

int runSocketIo(const Workload &w, const Reporter &out, bool decoding)
{
    const std::string prefix = decoding ? "socketio_decoded_" : "socketio_plain_";
    const auto name = [&prefix](const char *figure) { return prefix + figure; };
    const qsizetype count = qsizetype(w.frames.size());
    auto log = std::make_shared<FrameLog>();
    FrameTableModel model(log, QDateTime::currentDateTime());
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *table = new FrameTableView(&window);
    table->setModel(&model);
    layout->addWidget(table, 1);
    window.resize(1280, 800);
    window.show();
    settle(300);
    if (decoding) {
        ConnectionFacts facts;
        facts.url = QUrl(QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"));
        model.setConnectionFacts(facts);
    }
    RefreshPacer pacer([&] { model.refresh(); });
    QObject::connect(&model, &FrameTableModel::rowsInserted, table, [&] {
        if (model.isCaughtUp())
            table->scrollToBottom();
    });
    QObject::connect(&model, &FrameTableModel::burstCaughtUp, table, [&] { table->scrollToBottom(); });
    QElapsedTimer wall;
    wall.start();
    const qint64 rssStart = residentBytes();
    const IngestResult r = ingest(
        w, *log, [&] { pacer.framesArrived(log->frameCount()); }, [&] { return qint64(model.rowCount()); });
    if (!r.ok) {
        std::fprintf(stderr, "wsi_bench_ui: the model did not receive all %lld frames\n",
                     static_cast<long long>(count));
        return 1;
    }
    out.figure(name("ingest").c_str(), double(count) / r.seconds, "frames/s");
    out.stalls((prefix + "ingest").c_str(), r.stalls);
    if (!decoding) {
        out.figure(name("rss_growth").c_str(), double(residentBytes() - rssStart), "bytes");
        return 0;
    }
    // Decoding runs beside the table: how long after the start it had summarised every message.
    const std::shared_ptr<const DecodedMessageIndex> index = model.decodedIndex();
    while (index->summarisedMessages() < log->messageCount() && wall.elapsed() < completionTimeoutMs) {
        model.refresh();
        settle(5);
    }
    if (index->summarisedMessages() < log->messageCount()) {
        std::fprintf(stderr, "wsi_bench_ui: decoding did not catch up\n");
        return 1;
    }
    const double decodedAfter = double(wall.nsecsElapsed()) / 1e9;
    out.figure(name("decoded_all_after").c_str(), decodedAfter, "s");
    out.figure(name("decoding_rate").c_str(), double(count) / decodedAfter, "messages/s (from the first frame)");
    settle(100);
    out.figure(name("rss_growth").c_str(), double(residentBytes() - rssStart), "bytes");
    // What decoding costs a core, whatever else the machine runs: the whole log again through a fresh index, on this
    // thread, in its own CPU time.
    {
        ConnectionFacts facts;
        facts.url = QUrl(QStringLiteral("ws://127.0.0.1:3000/socket.io/?EIO=4&transport=websocket"));
        DecodedMessageIndex again(facts);
        const qint64 cpuBefore = threadCpuNs();
        again.advance(*log, log->messageCount());
        const double cpuSeconds = double(threadCpuNs() - cpuBefore) / 1e9;
        out.figure(name("decoding_cpu_rate").c_str(), double(log->messageCount()) / cpuSeconds,
                   "messages per CPU second");
    }
    // A kind and an event name over every frame.
    FrameFilter filter;
    filter.kind = QStringLiteral("EVENT");
    filter.subject = QStringLiteral("trade");
    filter.decoded = index;
    double seconds = 0;
    StallStats stalls;
    qsizetype rows = -1;
    if (!applyFilter(model, filter, seconds, stalls, rows)) {
        std::fprintf(stderr, "wsi_bench_ui: the protocol filter did not finish\n");
        return 1;
    }
    out.figure(name("filter_time").c_str(), seconds, "s");
    out.figure(name("filter_rows").c_str(), double(rows), "rows");
    out.stalls((prefix + "filter").c_str(), stalls);
    return 0;
}

int runSocketIoPlain(const Workload &w, const Reporter &out)
{
    return runSocketIo(w, out, false);
}

int runSocketIoDecoded(const Workload &w, const Reporter &out)
{
    return runSocketIo(w, out, true);
}

// ---------------------------------------------------------------------------------------------------------------
// Baseline: QStandardItemModel

QList<QStandardItem *> rowFor(const FrameLog &log, qsizetype index)
{
    const FrameRecord &record = log.frame(index);
    const QByteArrayView payload = log.framePayload(index);
    QString opcode;
    QString preview;
    switch (record.opcode) {
    case 0x1:
        opcode = QStringLiteral("Text");
        preview = QString::fromUtf8(payload.first(std::min<qsizetype>(payload.size(), 120)));
        break;
    case 0x2:
        opcode = QStringLiteral("Binary");
        preview = QString::fromLatin1(payload.first(std::min<qsizetype>(payload.size(), 16)).toByteArray().toHex(' '));
        break;
    case 0x9:
        opcode = QStringLiteral("Ping");
        break;
    case 0xA:
        opcode = QStringLiteral("Pong");
        break;
    default:
        opcode = QString::number(record.opcode);
        break;
    }
    QString flags;
    if (record.has(FrameRecord::Fin))
        flags += QStringLiteral("FIN ");
    if (record.has(FrameRecord::Masked))
        flags += QStringLiteral("MASK");
    return {
        new QStandardItem(QString::number(index + 1)),
        new QStandardItem(QString::number(double(record.timeNs) / 1e6, 'f', 3)),
        new QStandardItem(record.direction() == Direction::Outgoing ? QStringLiteral("\u2191 out")
                                                                    : QStringLiteral("\u2193 in")),
        new QStandardItem(opcode),
        new QStandardItem(flags.trimmed()),
        new QStandardItem(QString::number(record.payloadLength)),
        new QStandardItem(preview),
    };
}

int runBaseline(const Workload &w, const Reporter &out)
{
    const qsizetype count = qsizetype(w.frames.size());
    auto log = std::make_shared<FrameLog>();
    QStandardItemModel model(0, 7);
    model.setHorizontalHeaderLabels({QStringLiteral("#"), QStringLiteral("Time"), QStringLiteral("Dir"),
                                     QStringLiteral("Opcode"), QStringLiteral("Flags"), QStringLiteral("Length"),
                                     QStringLiteral("Preview")});
    QWidget window;
    auto *layout = new QVBoxLayout(&window);
    auto *table = new FrameTableView(&window); // the window's table, for both models
    table->setModel(&model);
    layout->addWidget(table, 1);
    window.resize(1280, 800);
    window.show();
    settle(300);

    qsizetype appended = 0;
    const IngestResult r = ingest(
        w, *log,
        [&] {
            const qsizetype available = log->frameCount();
            for (; appended < available; ++appended)
                model.appendRow(rowFor(*log, appended));
            table->scrollToBottom();
        },
        [&] { return qint64(model.rowCount()); });
    if (!r.ok) {
        std::fprintf(stderr, "wsi_bench_ui: the baseline model did not receive all %lld frames within %lld s\n",
                     static_cast<long long>(count), static_cast<long long>(completionTimeoutMs / 1000));
        return 1;
    }
    const double payload = double(log->payloadBytesStored());
    out.figure("baseline_ingest", double(count) / r.seconds, "frames/s");
    out.stalls("baseline_ingest", r.stalls);
    out.figure("baseline_ingest_refresh_batches", double(r.batches), "batches");
    out.figure("baseline_ingest_refresh_max", double(r.maxRefreshNs) / double(msNs), "ms");
    out.figure("baseline_rss_growth", double(r.rssDelta), "bytes");
    out.figure("baseline_memory_per_frame", (double(r.rssDelta) - payload) / double(count), "bytes/frame");
    return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Driver: each part in a child process, its figures relayed and kept for the ratios.

int runPart(int argc, char **argv, qsizetype frames, int (*part)(const Workload &, const Reporter &), FILE *out)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    const bool socketIo = part == runSocketIoPlain || part == runSocketIoDecoded;
    const Workload w = socketIo ? makeSocketIoWorkload(frames) : makeWorkload(frames);
    QApplication app(argc, argv);
    return part(w, Reporter(out));
}

bool runChild(int argc, char **argv, qsizetype frames, int (*part)(const Workload &, const Reporter &),
              std::map<std::string, double> &figures)
{
    std::fflush(stdout);
    std::fflush(stderr);
    int fds[2];
    if (pipe(fds) != 0) {
        std::perror("wsi_bench_ui: pipe");
        return false;
    }
    const pid_t pid = fork();
    if (pid < 0) {
        std::perror("wsi_bench_ui: fork");
        return false;
    }
    if (pid == 0) {
        close(fds[0]);
        FILE *out = fdopen(fds[1], "w");
        const int code = out ? runPart(argc, argv, frames, part, out) : 1;
        if (out)
            std::fclose(out);
        std::fflush(stderr);
        _exit(code);
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    char line[512];
    while (in && std::fgets(line, sizeof line, in)) {
        std::fputs(line, stdout);
        std::fflush(stdout);
        char name[256];
        double value = 0;
        if (std::sscanf(line, "%255[^:]: %lf", name, &value) == 2)
            figures[name] = value;
    }
    if (in)
        std::fclose(in);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

} // namespace

int main(int argc, char *argv[])
{
    qsizetype frames = 1'000'000;
    qsizetype baselineFrames = 0; // 0: as many as ours
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--tiny") == 0) {
            frames = 20'000;
        } else if (std::strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
            frames = qsizetype(std::atoll(argv[++i]));
        } else if (std::strcmp(argv[i], "--baseline-frames") == 0 && i + 1 < argc) {
            baselineFrames = qsizetype(std::atoll(argv[++i]));
        } else if (std::strcmp(argv[i], "--rate") == 0 && i + 1 < argc) {
            g_rate = std::max<qint64>(0, std::atoll(argv[++i]));
        } else {
            std::fprintf(stderr,
                         "usage: wsi_bench_ui [--tiny] [--frames N] [--baseline-frames N] [--rate FRAMES_PER_S]\n");
            return 2;
        }
    }
    if (baselineFrames == 0)
        baselineFrames = frames;
    if (frames < 1000 || baselineFrames < 1000) {
        std::fprintf(stderr, "wsi_bench_ui: --frames and --baseline-frames need at least 1000\n");
        return 2;
    }

    std::map<std::string, double> figures;
    if (!runChild(argc, argv, frames, runOurs, figures)) {
        std::fprintf(stderr, "wsi_bench_ui: the run over our views did not complete\n");
        return 1;
    }
    if (baselineFrames != frames)
        std::printf("baseline_frames: %lld frames (the stall ratios below compare runs of different lengths)\n",
                    static_cast<long long>(baselineFrames));
    if (!runChild(argc, argv, baselineFrames, runBaseline, figures)) {
        std::fprintf(stderr, "wsi_bench_ui: the baseline run did not complete\n");
        return 1;
    }
    for (auto *part : {runSocketIoPlain, runSocketIoDecoded}) {
        if (!runChild(argc, argv, frames, part, figures)) {
            std::fprintf(stderr, "wsi_bench_ui: the Socket.IO run did not complete\n");
            return 1;
        }
    }
    const auto ratio = [&](const char *name, const char *numerator, const char *denominator) {
        const double d = figures[denominator];
        if (d > 0)
            std::printf("%s: %.2f x\n", name, figures[numerator] / d);
    };
    ratio("ingest_ratio", "ingest", "baseline_ingest");                                 // ours / baseline
    ratio("memory_ratio", "baseline_memory_per_frame", "memory_per_frame");             // baseline / ours
    ratio("stall_p99_ratio", "baseline_ingest_stall_p99", "ingest_stall_p99");          // baseline / ours
    ratio("stall_max_ratio", "baseline_ingest_stall_max", "ingest_stall_max");          // baseline / ours
    ratio("socketio_ingest_ratio", "socketio_decoded_ingest", "socketio_plain_ingest"); // decoded / plain
    const double decodedMemory = figures["socketio_decoded_rss_growth"] - figures["socketio_plain_rss_growth"];
    std::printf("socketio_decoding_memory_per_message: %.1f bytes/message (RSS, decoded - plain)\n",
                decodedMemory / double(frames));
    return 0;
}
