//! TLS to the relay: which certificates peil trusts (Mozilla's roots from webpki-roots, plus an
//! organisation's own CA from `smtp_ca_file`), and the two ways a connection gets encrypted.
//! STARTTLS goes through lettre's `starttls`, which wants lettre's `TlsParameters`; implicit TLS
//! (`smtps`) must be in place before the greeting, which lettre only does on sockets of its own
//! (without TCP_NODELAY), so peil wraps its own socket with tokio-rustls. Both are built from one
//! `Trust`, so the two paths accept the same certificates.

use std::path::Path;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{ClientConfig, RootCertStore};

use super::MailError;

/// The certificates a relay's chain may end in besides Mozilla's roots.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    extra: Vec<CertificateDer<'static>>,
}

impl Trust {
    /// Mozilla's roots, plus every certificate in the PEM file `ca_file` when one is given. A
    /// file that cannot be read, or holds no usable certificate, stops the start: mail that
    /// would fail later on every connection is better refused now.
    pub fn load(ca_file: Option<&Path>) -> Result<Trust, MailError> {
        let Some(path) = ca_file else { return Ok(Trust::default()) };
        let refuse = |reason: String| MailError::CaFile { path: path.display().to_string(), reason };
        let pem = std::fs::read(path).map_err(|e| refuse(format!("cannot be read: {e}")))?;
        let extra = CertificateDer::pem_slice_iter(&pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| refuse(format!("is not readable PEM: {e}")))?;
        if extra.is_empty() {
            return Err(refuse("holds no certificate (no `-----BEGIN CERTIFICATE-----` block)".into()));
        }
        // The same check rustls makes when the roots are used, made once at start-up.
        let mut roots = RootCertStore::empty();
        for certificate in &extra {
            roots
                .add(certificate.clone())
                .map_err(|e| refuse(format!("holds an unusable certificate: {e}")))?;
        }
        Ok(Trust { extra })
    }

    /// How many certificates `smtp_ca_file` added, for the log.
    pub fn extra(&self) -> usize {
        self.extra.len()
    }

    /// lettre's parameters for STARTTLS to `host`.
    pub fn starttls(&self, host: &str) -> Result<TlsParameters, MailError> {
        let refuse = |e: lettre::transport::smtp::Error| MailError::Tls(e.to_string());
        let mut builder =
            TlsParameters::builder(host.to_string()).certificate_store(CertificateStore::WebpkiRoots);
        for certificate in &self.extra {
            builder =
                builder.add_root_certificate(Certificate::from_der(certificate.to_vec()).map_err(refuse)?);
        }
        builder.build_rustls().map_err(refuse)
    }

    /// The connector and name for TLS to `host` from the first byte.
    pub fn implicit(&self, host: &str) -> Result<Implicit, MailError> {
        let mut roots = RootCertStore::empty();
        roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
        let (added, _) = roots.add_parsable_certificates(self.extra.iter().cloned());
        debug_assert_eq!(added, self.extra.len(), "checked in Trust::load");
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| MailError::Tls(e.to_string()))?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let name = ServerName::try_from(host.to_string())
            .map_err(|_| MailError::Tls(format!("`{host}` is not a name a certificate can hold")))?;
        Ok(Implicit { connector: tokio_rustls::TlsConnector::from(Arc::new(config)), name })
    }
}

/// What `smtps` needs to encrypt a fresh socket.
#[derive(Clone)]
pub struct Implicit {
    connector: tokio_rustls::TlsConnector,
    name: ServerName<'static>,
}

impl Implicit {
    pub async fn wrap(&self, stream: TcpStream) -> std::io::Result<Encrypted> {
        Ok(Encrypted(self.connector.connect(self.name.clone(), stream).await?))
    }
}

/// A TLS connection on peil's own socket, in the form lettre's `connect_with_transport` takes.
#[derive(Debug)]
pub struct Encrypted(tokio_rustls::client::TlsStream<TcpStream>);

impl lettre::transport::smtp::client::AsyncTokioStream for Encrypted {
    fn peer_addr(&self) -> std::io::Result<std::net::SocketAddr> {
        self.0.get_ref().0.peer_addr()
    }
}

impl AsyncRead for Encrypted {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_read(cx, buf)
    }
}

impl AsyncWrite for Encrypted {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.get_mut().0).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().0).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
    }

    #[test]
    fn the_test_ca_is_read_and_added_to_the_roots() {
        let trust = Trust::load(Some(&fixture("smtp-ca.pem"))).expect("the fixture CA");
        assert_eq!(trust.extra(), 1);
        assert!(trust.starttls("127.0.0.1").is_ok());
        assert!(trust.implicit("localhost").is_ok());
    }

    #[test]
    fn a_missing_file_or_one_without_a_certificate_stops_the_start_naming_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = dir.path().join("missing.pem");
        let e = Trust::load(Some(&missing)).expect_err("missing");
        assert!(e.to_string().contains("missing.pem") && e.to_string().contains("cannot be read"), "{e}");
        let key_only = fixture("smtp-server.key");
        let e = Trust::load(Some(&key_only)).expect_err("a key is no certificate");
        assert!(e.to_string().contains("no certificate"), "{e}");
        assert!(Trust::load(None).is_ok_and(|t| t.extra() == 0));
    }
}
