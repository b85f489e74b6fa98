// SPDX-License-Identifier: GPL-3.0-or-later
#include "ResidentMemory.h"

#include <QFile>
#include <QList>

#if defined(__SANITIZE_ADDRESS__)
#define WSI_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WSI_UNDER_ASAN 1
#endif
#endif

namespace wsi::test {

qint64 residentBytes()
{
    QFile statm(QStringLiteral("/proc/self/statm"));
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().simplified().split(' ');
    if (fields.size() < 2)
        return -1;
    return fields[1].toLongLong() * 4096;
}

bool residentMemoryIsMeaningful()
{
#ifdef WSI_UNDER_ASAN
    return false;
#else
    return residentBytes() > 0;
#endif
}

} // namespace wsi::test
