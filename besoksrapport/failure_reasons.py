"""Why something outside the program failed, in Swedish: files, network, TLS and SQLite.

The operating system, OpenSSL and SQLite describe their errors in English, and an OSError's
text names the file (a report's file name holds the politician's name). These functions
give a short Swedish reason for the secretary (the outbox, the commands, start-up) with the
technical code in parentheses for IT, e.g. «åtkomst nekad (errno 13, EACCES)». They never
repeat a file name, an address or a server's own words.
"""

from __future__ import annotations

import errno
import socket
import sqlite3
import ssl

ERRNO = {
    errno.ENOENT: "filen eller mappen finns inte",
    errno.EACCES: "åtkomst nekad",
    errno.EPERM: "åtgärden är inte tillåten",
    errno.ENOSPC: "disken är full",
    errno.EDQUOT: "diskkvoten är slut",
    errno.EROFS: "filsystemet är skrivskyddat",
    errno.EIO: "läs- eller skrivfel på disken",
    errno.EEXIST: "filen finns redan",
    errno.ENOTDIR: "en del av sökvägen är inte en mapp",
    errno.EISDIR: "sökvägen är en mapp",
    errno.ENOTEMPTY: "mappen är inte tom",
    errno.ENAMETOOLONG: "filnamnet är för långt",
    errno.EMFILE: "för många öppna filer",
    errno.ENFILE: "för många öppna filer i systemet",
    errno.EBUSY: "resursen är upptagen",
    errno.EXDEV: "flytt mellan olika filsystem går inte",
    errno.ENOMEM: "minnet räcker inte",
    errno.EAGAIN: "resursen är tillfälligt otillgänglig",
    errno.ESTALE: "nätverksfilen är inte längre giltig",
    errno.ECONNREFUSED: "anslutningen nekades",
    errno.ECONNRESET: "anslutningen avbröts av motparten",
    errno.ECONNABORTED: "anslutningen avbröts",
    errno.EPIPE: "anslutningen bröts",
    errno.ETIMEDOUT: "tidsgränsen för anslutningen gick ut",
    errno.EHOSTUNREACH: "servern går inte att nå",
    errno.ENETUNREACH: "nätverket går inte att nå",
    errno.ENETDOWN: "nätverket är nere",
    errno.EADDRINUSE: "adressen används redan av ett annat program",
    errno.EADDRNOTAVAIL: "adressen finns inte på den här datorn",
}

# OpenSSL's verification results (X509_V_ERR_…) a municipality's servers may give.
CERTIFICATE = {
    9: "certifikatet gäller inte än",
    10: "certifikatet har gått ut",
    18: "certifikatet är självsignerat",
    19: "certifikatkedjan har ett självsignerat certifikat",
    20: "certifikatets utfärdare är okänd",
    21: "certifikatet går inte att verifiera",
    23: "certifikatet är återkallat",
    62: "certifikatet gäller ett annat servernamn",
    64: "certifikatet gäller en annan IP-adress",
}
TLS = {
    "WRONG_VERSION_NUMBER": "servern svarar inte med TLS, kanske https mot en port för http",
    "UNEXPECTED_EOF_WHILE_READING": "servern stängde anslutningen mitt i TLS-handskakningen",
    "RECORD_LAYER_FAILURE": "TLS-anslutningen bröts",
}

SQLITE = {
    "SQLITE_BUSY": "databasen är låst av ett annat program",
    "SQLITE_LOCKED": "databasen är låst av ett annat program",
    "SQLITE_NOTADB": "filen är ingen SQLite-databas",
    "SQLITE_CANTOPEN": "databasfilen går inte att öppna",
    "SQLITE_IOERR": "läs- eller skrivfel på disken",
    "SQLITE_READONLY": "databasen är skrivskyddad",
    "SQLITE_FULL": "disken är full",
    "SQLITE_CORRUPT": "databasfilen är skadad",
    "SQLITE_PERM": "åtkomst nekad",
}
# SQLite's own words, for an error that carries no code (raised outside SQLite's C code).
SQLITE_TEXTS = {
    "database is locked": "databasen är låst av ett annat program",
    "file is not a database": "filen är ingen SQLite-databas",
    "unable to open database file": "databasfilen går inte att öppna",
    "disk I/O error": "läs- eller skrivfel på disken",
    "attempt to write a readonly database": "databasen är skrivskyddad",
    "database or disk is full": "disken eller databasen är full",
    "database disk image is malformed": "databasfilen är skadad",
}


def tls_reason(error: ssl.SSLError) -> str:
    """«certifikatet är självsignerat (CERTIFICATE_VERIFY_FAILED)»."""
    code = str(error.reason or type(error).__name__)
    if isinstance(error, ssl.SSLCertVerificationError):
        text = CERTIFICATE.get(error.verify_code or 0, "certifikatet kunde inte verifieras")
    elif code.startswith("TLSV1_ALERT") or code.startswith("SSLV3_ALERT"):
        text = "servern avbröt TLS-handskakningen"
    else:
        text = TLS.get(code, "TLS-fel")
    return f"{text} ({code})"


def os_reason(error: OSError) -> str:
    """«åtkomst nekad (errno 13, EACCES)»: the system's error, without the file's name."""
    if isinstance(error, ssl.SSLError):
        return tls_reason(error)
    if isinstance(error, socket.gaierror):
        return "servernamnet går inte att slå upp"
    number = error.errno
    if number is None:
        if isinstance(error, TimeoutError):
            return "inget svar inom tidsgränsen"
        return f"okänd orsak ({type(error).__name__})"
    name = errno.errorcode.get(number)
    text = ERRNO.get(number, "okänd orsak")
    return f"{text} (errno {number}, {name})" if name else f"{text} (errno {number})"


def sqlite_reason(error: sqlite3.Error) -> str:
    """«databasen är låst av ett annat program (SQLITE_BUSY)»."""
    name = getattr(error, "sqlite_errorname", None)
    if not name:
        text = SQLITE_TEXTS.get(str(error), "databasfel")
        return f"{text} ({type(error).__name__})"
    text = next((text for prefix, text in SQLITE.items()
                 if name == prefix or name.startswith(prefix + "_")), "databasfel")
    return f"{text} ({name})"


def storage_reason(error: BaseException) -> str:
    """Why the database or the data folder failed: SQLite's or the system's reason."""
    if isinstance(error, sqlite3.Error):
        return sqlite_reason(error)
    if isinstance(error, OSError):
        return os_reason(error)
    return f"oväntat fel ({type(error).__name__})"
