"""The organisation's e-seal on approved PDFs (PAdES, with pyHanko).

- `keys`: the seal certificate and its private key: read from the PKCS#12 file the admin
  uploads (the password is used once and never kept), the key stored encrypted with
  SEAL_SECRET_KEY, and the demo's throwaway certificate.
- `sign`: seals the rendered PDF in the freezer: PAdES B-B, or B-T with a timestamp from the
  configured RFC 3161 TSA; a TSA that does not answer in time costs the timestamp, never the seal.
- `revocation`: the certificate's CRL/OCSP status, fetched and embedded when the certificate
  names where it is published (B-LT with a timestamp); a CA outage costs the status, never the
  seal; a revoked certificate seals nothing.
- `stamp`: the seal's visible stamp, one line under the last page's footer: who, when, the
  verification code (laid out by the memo's renderer, so its Thai shapes as the memo's does).
- `check`: reads the seal of any PDF (the /v page and `flask pdf verify` share it): intact,
  covering the whole file or extended afterwards, by which certificate, when, with what timestamp.
"""
