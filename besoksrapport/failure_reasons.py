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


RETRYABLE_4XX = {408, 423, 429}  # request timeout, locked, too many requests
PERMANENT_5XX = {501, 505}  # not implemented, HTTP version not supported
# The TLS library's reasons that mean configuration, not an outage: a certificate we do not
# trust (or for another host), and https spoken to a plain-HTTP port.
CONFIGURATION_TLS = ("CERTIFICATE_VERIFY_FAILED", "WRONG_VERSION_NUMBER")
# The HTTP clients' request errors carry the URL in their text, which must not decide
# anything: requests' RequestException and urllib3's RequestError (named, not imported, so
# that reading a failure does not load an HTTP client).
_URL_BEARING = {("requests.exceptions", "RequestException"),
                ("urllib3.exceptions", "RequestError")}


def _bears_url(error: BaseException) -> bool:
    return any((kind.__module__, kind.__name__) in _URL_BEARING for kind in type(error).__mro__)


def retryable_status(status: int) -> bool:
    """5xx are temporary but 501 and 505 (the server lacks the feature); 4xx are permanent
    but 408, 423 and 429; anything else unexpected (a 3xx redirect, say) is permanent."""
    if 500 <= status <= 599:
        return status not in PERMANENT_5XX
    return status in RETRYABLE_4XX


def error_chain(error: BaseException) -> list[BaseException]:
    """``error`` and what it wraps: HTTP clients nest the ssl module's error in args,
    ``reason``, causes and contexts."""
    seen: list[BaseException] = []
    todo = [error]
    while todo:
        current = todo.pop()
        if any(current is other for other in seen) or len(seen) > 20:
            continue
        seen.append(current)
        todo += [arg for arg in current.args if isinstance(arg, BaseException)]
        todo += [link for link in (getattr(current, "reason", None), current.__cause__,
                                   current.__context__) if isinstance(link, BaseException)]
    return seen


def chained_tls_reason(error: BaseException) -> str:
    """The TLS library's reason in Swedish, with its code, found in what ``error`` wraps.

    An HTTP client's own text names the URL, so only the ssl module's error is read.
    """
    chain = error_chain(error)
    for kind in (ssl.SSLCertVerificationError, ssl.SSLError):
        found = next((link for link in chain if isinstance(link, kind)), None)
        if isinstance(found, ssl.SSLError):
            return tls_reason(found)
    return "okänd orsak"


def tls_is_configuration(error: BaseException) -> bool:
    """True when a TLS failure is configuration that waiting cannot heal.

    That is a failed certificate verification and https against a plain-HTTP port
    (``CONFIGURATION_TLS``). Anything else, such as a handshake cut off by a server that
    restarts (``UNEXPECTED_EOF_WHILE_READING``), is worth another try.
    """
    chain = error_chain(error)
    if any(isinstance(link, ssl.SSLCertVerificationError) for link in chain):
        return True
    texts = [str(link) for link in chain
             if not _bears_url(link)]
    return any(mark in text for mark in CONFIGURATION_TLS for text in texts)
