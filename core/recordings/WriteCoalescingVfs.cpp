// SPDX-License-Identifier: GPL-3.0-or-later
#include "core/recordings/WriteCoalescingVfs.h"

#include <QUrl>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <new>
#if WSI_HAVE_SQLITE3
#include <sqlite3.h>
#endif
#include <utility>
#include <vector>

namespace wsi::WriteCoalescingVfs {

#if WSI_HAVE_SQLITE3
namespace {

constexpr const char *vfsName = "wsi-write-coalescing";
// What one call to the platform's VFS may carry: SQLite's largest page, so every VFS takes it (the Unix one cuts
// what it is given to 17 bits). 16 pages of 4 KiB with their frame headers.
constexpr sqlite3_int64 largestCall = 64 * 1024;
// What a checkpoint reads of the WAL at once: it reads the frames one page at a time, mostly one after the other.
constexpr sqlite3_int64 readAheadBytes = largestCall;
// The WAL's frame header, and its field that is non-zero only in a transaction's last frame (the commit).
constexpr int walFrameHeaderBytes = 24;
constexpr int walCommitFieldOffset = 4;
// A WAL read this close after the previous one (a frame header apart, or a page skipped) continues a pass over it.
constexpr sqlite3_int64 sequentialGapBytes = 64 * 1024;

sqlite3_vfs *underlying = nullptr;
sqlite3_vfs coalescingVfs;
sqlite3_io_methods coalescingMethods;

struct CoalescingFile;

struct FileState {
    bool isWal = false;
    // A WAL's database, and a database's WAL, while both are open.
    CoalescingFile *partner = nullptr;
    // A database file coalesces only while it is in WAL mode (its WAL is open): its writes are then a checkpoint's,
    // repeated from the WAL if they are lost. In rollback-journal mode they go straight through.
    bool hasWal = false;
    std::vector<char> pending;
    sqlite3_int64 pendingOffset = 0;
    // After the page of a commit frame, the run goes to the operating system before the commit returns.
    bool sendAfterNextWrite = false;
    // A failure to send that no call could return (xShmBarrier returns nothing): the next call returns it.
    int deferredError = SQLITE_OK;
    std::vector<char> ahead;
    sqlite3_int64 aheadOffset = 0;
    sqlite3_int64 aheadSize = 0;
    sqlite3_int64 lastReadEnd = -1;
};

// What SQLite holds for an open file: this, then the underlying VFS's file in the same allocation.
struct CoalescingFile {
    sqlite3_file base;
    FileState *state;
    sqlite3_file *real;
};

CoalescingFile *coalescing(sqlite3_file *file)
{
    return reinterpret_cast<CoalescingFile *>(file);
}

constexpr int alignedSize(int size)
{
    return (size + 7) & ~7;
}

int sendPending(CoalescingFile *file)
{
    FileState &state = *file->state;
    if (const int deferred = std::exchange(state.deferredError, SQLITE_OK); deferred != SQLITE_OK)
        return deferred;
    int rc = SQLITE_OK;
    for (sqlite3_int64 sent = 0; rc == SQLITE_OK && sent < sqlite3_int64(state.pending.size()); sent += largestCall) {
        const int amount = int(std::min(largestCall, sqlite3_int64(state.pending.size()) - sent));
        rc = file->real->pMethods->xWrite(file->real, state.pending.data() + sent, amount, state.pendingOffset + sent);
    }
    state.pending.clear();
    return rc;
}

bool coalesces(const FileState &state)
{
    return state.isWal || state.hasWal;
}

int xClose(sqlite3_file *file)
{
    CoalescingFile *self = coalescing(file);
    const int sent = sendPending(self);
    // Without its WAL the database is in rollback-journal mode again (or closing): its writes go straight through.
    if (CoalescingFile *partner = self->state->partner) {
        partner->state->partner = nullptr;
        if (self->state->isWal) {
            partner->state->hasWal = false;
            partner->state->deferredError = sendPending(partner);
        }
    }
    const int rc = self->real->pMethods ? self->real->pMethods->xClose(self->real) : SQLITE_OK;
    delete self->state;
    self->state = nullptr;
    return sent != SQLITE_OK ? sent : rc;
}

int xRead(sqlite3_file *file, void *buffer, int amount, sqlite3_int64 offset)
{
    CoalescingFile *self = coalescing(file);
    FileState &state = *self->state;
    if (const int rc = sendPending(self); rc != SQLITE_OK)
        return rc;
    if (!state.isWal)
        return self->real->pMethods->xRead(self->real, buffer, amount, offset);

    const bool inAhead = offset >= state.aheadOffset && offset + amount <= state.aheadOffset + state.aheadSize;
    const bool sequential =
        state.lastReadEnd >= 0 && offset >= state.lastReadEnd && offset - state.lastReadEnd <= sequentialGapBytes;
    state.lastReadEnd = offset + amount;
    if (!inAhead && sequential && amount < readAheadBytes) {
        sqlite3_int64 size = 0;
        if (const int rc = self->real->pMethods->xFileSize(self->real, &size); rc != SQLITE_OK)
            return rc;
        const sqlite3_int64 wanted = std::min(readAheadBytes, size - offset);
        if (wanted >= amount) {
            state.ahead.resize(size_t(readAheadBytes));
            state.aheadSize = 0;
            if (const int rc = self->real->pMethods->xRead(self->real, state.ahead.data(), int(wanted), offset);
                rc != SQLITE_OK)
                return rc;
            state.aheadOffset = offset;
            state.aheadSize = wanted;
        }
    }
    if (offset >= state.aheadOffset && offset + amount <= state.aheadOffset + state.aheadSize) {
        std::memcpy(buffer, state.ahead.data() + (offset - state.aheadOffset), size_t(amount));
        return SQLITE_OK;
    }
    return self->real->pMethods->xRead(self->real, buffer, amount, offset);
}

int xWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset)
{
    CoalescingFile *self = coalescing(file);
    FileState &state = *self->state;
    state.aheadSize = 0;
    if (!coalesces(state))
        return self->real->pMethods->xWrite(self->real, data, amount, offset);
    const sqlite3_int64 pendingEnd = state.pendingOffset + sqlite3_int64(state.pending.size());
    if (!state.pending.empty() &&
        (offset != pendingEnd || sqlite3_int64(state.pending.size()) + amount > largestCall)) {
        if (const int rc = sendPending(self); rc != SQLITE_OK)
            return rc;
    }
    if (state.pending.empty())
        state.pendingOffset = offset;
    const auto *bytes = static_cast<const char *>(data);
    state.pending.insert(state.pending.end(), bytes, bytes + amount);

    const bool commitFrameHeader = state.isWal && amount == walFrameHeaderBytes && offset > 0 &&
                                   (bytes[walCommitFieldOffset] | bytes[walCommitFieldOffset + 1] |
                                    bytes[walCommitFieldOffset + 2] | bytes[walCommitFieldOffset + 3]) != 0;
    const bool commitPage = state.sendAfterNextWrite;
    state.sendAfterNextWrite = commitFrameHeader;
    if (commitPage)
        return sendPending(self);
    return SQLITE_OK;
}

// Every other call first sends what is pending: SQLite may rely on it being in the file (a sync, a lock that
// publishes a checkpoint, a size).
template<typename Call>
int afterSending(sqlite3_file *file, Call call)
{
    CoalescingFile *self = coalescing(file);
    if (const int rc = sendPending(self); rc != SQLITE_OK)
        return rc;
    return call(self->real);
}

int xTruncate(sqlite3_file *file, sqlite3_int64 size)
{
    coalescing(file)->state->aheadSize = 0;
    return afterSending(file, [size](sqlite3_file *real) { return real->pMethods->xTruncate(real, size); });
}

int xSync(sqlite3_file *file, int flags)
{
    return afterSending(file, [flags](sqlite3_file *real) { return real->pMethods->xSync(real, flags); });
}

int xFileSize(sqlite3_file *file, sqlite3_int64 *size)
{
    return afterSending(file, [size](sqlite3_file *real) { return real->pMethods->xFileSize(real, size); });
}

int xLock(sqlite3_file *file, int level)
{
    return afterSending(file, [level](sqlite3_file *real) { return real->pMethods->xLock(real, level); });
}

int xUnlock(sqlite3_file *file, int level)
{
    return afterSending(file, [level](sqlite3_file *real) { return real->pMethods->xUnlock(real, level); });
}

int xCheckReservedLock(sqlite3_file *file, int *reserved)
{
    return afterSending(file,
                        [reserved](sqlite3_file *real) { return real->pMethods->xCheckReservedLock(real, reserved); });
}

int xFileControl(sqlite3_file *file, int op, void *argument)
{
    return afterSending(
        file, [op, argument](sqlite3_file *real) { return real->pMethods->xFileControl(real, op, argument); });
}

int xSectorSize(sqlite3_file *file)
{
    sqlite3_file *real = coalescing(file)->real;
    return real->pMethods->xSectorSize(real);
}

int xDeviceCharacteristics(sqlite3_file *file)
{
    sqlite3_file *real = coalescing(file)->real;
    return real->pMethods->xDeviceCharacteristics(real);
}

int xShmMap(sqlite3_file *file, int region, int size, int extend, void volatile **memory)
{
    return afterSending(
        file, [=](sqlite3_file *real) { return real->pMethods->xShmMap(real, region, size, extend, memory); });
}

int xShmLock(sqlite3_file *file, int offset, int count, int flags)
{
    return afterSending(file, [=](sqlite3_file *real) { return real->pMethods->xShmLock(real, offset, count, flags); });
}

void xShmBarrier(sqlite3_file *file)
{
    CoalescingFile *self = coalescing(file);
    self->state->deferredError = sendPending(self);
    self->real->pMethods->xShmBarrier(self->real);
}

int xShmUnmap(sqlite3_file *file, int deleteFlag)
{
    return afterSending(file, [deleteFlag](sqlite3_file *real) { return real->pMethods->xShmUnmap(real, deleteFlag); });
}

int xFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **pointer)
{
    return afterSending(file,
                        [=](sqlite3_file *real) { return real->pMethods->xFetch(real, offset, amount, pointer); });
}

int xUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *pointer)
{
    sqlite3_file *real = coalescing(file)->real;
    return real->pMethods->xUnfetch(real, offset, pointer);
}

int xOpen(sqlite3_vfs *, sqlite3_filename name, sqlite3_file *file, int flags, int *outFlags)
{
    CoalescingFile *self = coalescing(file);
    self->base.pMethods = nullptr;
    self->real =
        reinterpret_cast<sqlite3_file *>(reinterpret_cast<char *>(file) + alignedSize(int(sizeof(CoalescingFile))));
    const int rc = underlying->xOpen(underlying, name, self->real, flags, outFlags);
    if (rc != SQLITE_OK)
        return rc;
    // The version-3 methods (shared memory, memory mapping) are forwarded: a platform VFS without them cannot serve.
    if (!self->real->pMethods || self->real->pMethods->iVersion < coalescingMethods.iVersion) {
        if (self->real->pMethods)
            self->real->pMethods->xClose(self->real);
        return SQLITE_CANTOPEN;
    }
    self->state = new (std::nothrow) FileState;
    if (!self->state) {
        self->real->pMethods->xClose(self->real);
        return SQLITE_NOMEM;
    }
    self->state->isWal = (flags & SQLITE_OPEN_WAL) != 0;
    if (self->state->isWal && name) {
        // The database this WAL belongs to: opened through this VFS too, so it is one of ours.
        if (sqlite3_file *database = sqlite3_database_file_object(name);
            database && database->pMethods == &coalescingMethods) {
            CoalescingFile *partner = coalescing(database);
            partner->state->hasWal = true;
            partner->state->partner = self;
            self->state->partner = partner;
        }
    }
    self->base.pMethods = &coalescingMethods;
    return SQLITE_OK;
}

// The rest of the VFS is the platform's.
int xDelete(sqlite3_vfs *, const char *name, int syncDirectory)
{
    return underlying->xDelete(underlying, name, syncDirectory);
}
int xAccess(sqlite3_vfs *, const char *name, int flags, int *result)
{
    return underlying->xAccess(underlying, name, flags, result);
}
int xFullPathname(sqlite3_vfs *, const char *name, int size, char *out)
{
    return underlying->xFullPathname(underlying, name, size, out);
}
void *xDlOpen(sqlite3_vfs *, const char *name)
{
    return underlying->xDlOpen(underlying, name);
}
void xDlError(sqlite3_vfs *, int size, char *message)
{
    underlying->xDlError(underlying, size, message);
}
void (*xDlSym(sqlite3_vfs *, void *handle, const char *symbol))(void)
{
    return underlying->xDlSym(underlying, handle, symbol);
}
void xDlClose(sqlite3_vfs *, void *handle)
{
    underlying->xDlClose(underlying, handle);
}
int xRandomness(sqlite3_vfs *, int size, char *out)
{
    return underlying->xRandomness(underlying, size, out);
}
int xSleep(sqlite3_vfs *, int microseconds)
{
    return underlying->xSleep(underlying, microseconds);
}
int xCurrentTime(sqlite3_vfs *, double *now)
{
    return underlying->xCurrentTime(underlying, now);
}
int xGetLastError(sqlite3_vfs *, int size, char *message)
{
    return underlying->xGetLastError ? underlying->xGetLastError(underlying, size, message) : 0;
}
int xCurrentTimeInt64(sqlite3_vfs *, sqlite3_int64 *now)
{
    return underlying->xCurrentTimeInt64(underlying, now);
}

bool registerVfs()
{
    underlying = sqlite3_vfs_find(nullptr);
    // Version 2 brings xCurrentTimeInt64, which SQLite prefers; the system-call hooks of version 3 stay the
    // platform's (they are for testing SQLite itself).
    if (!underlying || underlying->iVersion < 2)
        return false;

    coalescingMethods.iVersion = 3;
    coalescingMethods.xClose = xClose;
    coalescingMethods.xRead = xRead;
    coalescingMethods.xWrite = xWrite;
    coalescingMethods.xTruncate = xTruncate;
    coalescingMethods.xSync = xSync;
    coalescingMethods.xFileSize = xFileSize;
    coalescingMethods.xLock = xLock;
    coalescingMethods.xUnlock = xUnlock;
    coalescingMethods.xCheckReservedLock = xCheckReservedLock;
    coalescingMethods.xFileControl = xFileControl;
    coalescingMethods.xSectorSize = xSectorSize;
    coalescingMethods.xDeviceCharacteristics = xDeviceCharacteristics;
    coalescingMethods.xShmMap = xShmMap;
    coalescingMethods.xShmLock = xShmLock;
    coalescingMethods.xShmBarrier = xShmBarrier;
    coalescingMethods.xShmUnmap = xShmUnmap;
    coalescingMethods.xFetch = xFetch;
    coalescingMethods.xUnfetch = xUnfetch;

    coalescingVfs = sqlite3_vfs{};
    coalescingVfs.iVersion = 2;
    coalescingVfs.szOsFile = alignedSize(int(sizeof(CoalescingFile))) + underlying->szOsFile;
    coalescingVfs.mxPathname = underlying->mxPathname;
    coalescingVfs.zName = vfsName;
    coalescingVfs.xOpen = xOpen;
    coalescingVfs.xDelete = xDelete;
    coalescingVfs.xAccess = xAccess;
    coalescingVfs.xFullPathname = xFullPathname;
    coalescingVfs.xDlOpen = xDlOpen;
    coalescingVfs.xDlError = xDlError;
    coalescingVfs.xDlSym = xDlSym;
    coalescingVfs.xDlClose = xDlClose;
    coalescingVfs.xRandomness = xRandomness;
    coalescingVfs.xSleep = xSleep;
    coalescingVfs.xCurrentTime = xCurrentTime;
    coalescingVfs.xGetLastError = xGetLastError;
    coalescingVfs.xCurrentTimeInt64 = xCurrentTimeInt64;
    return sqlite3_vfs_register(&coalescingVfs, 0) == SQLITE_OK;
}

} // namespace

bool registerOnce()
{
    static std::once_flag once;
    static bool registered = false;
    std::call_once(once, [] { registered = registerVfs(); });
    return registered;
}
#else
// Built without SQLite's headers (Windows and macOS take Qt's own binaries, whose driver carries a copy of SQLite
// this library could not reach anyway): recordings are written the ordinary way.
constexpr const char *vfsName = "";
bool registerOnce()
{
    return false;
}
#endif

QString uriFor(const QString &path)
{
    // file:///absolute/path, with '?', '#' and '%' in it escaped, then the VFS as a query parameter.
    return QUrl::fromLocalFile(path).toString(QUrl::FullyEncoded) + QStringLiteral("?vfs=") +
           QLatin1StringView(vfsName);
}

} // namespace wsi::WriteCoalescingVfs
