"""Getting documents to their receivers: the document system (WebDAV) and e-mail (SMTP)."""
