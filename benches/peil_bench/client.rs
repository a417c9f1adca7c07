//! A minimal keep-alive HTTP/1.1 client over one tokio `TcpStream`. Written by hand so the
//! benchmark adds no crates and so the client does as little work as possible: on two cores it
//! competes with the server it measures.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A status code and the whole body, decoded from `Content-Length` or chunked framing.
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// The first `Set-Cookie`'s `name=value`, if any.
    pub cookie: Option<String>,
    /// The `Location` of a redirect.
    pub location: Option<String>,
}

impl Reply {
    pub fn contains(&self, text: &str) -> bool {
        self.body.windows(text.len()).any(|w| w == text.as_bytes())
    }

    /// The start of the body, for error messages.
    pub fn excerpt(&self) -> String {
        String::from_utf8_lossy(&self.body[..self.body.len().min(300)]).into_owned()
    }
}

/// Where an opened link's page lives and the cookie that opens it.
pub struct Opened {
    pub path: String,
    pub cookie: Option<String>,
}

/// One connection, opened on first use and again after the server closes it.
pub struct Conn {
    addr: SocketAddr,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    pub fn new(addr: SocketAddr) -> Conn {
        Conn { addr, stream: None }
    }

    pub async fn get(&mut self, path: &str) -> anyhow::Result<Reply> {
        let head = format!("GET {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: peil-bench\r\n\r\n", self.addr);
        self.send(head.into_bytes()).await
    }

    /// Opens a personal link as a person's browser does: peil exchanges `/r/<token>` for a
    /// cookie and a redirect to the token-less page, which is fetched with that cookie. Also
    /// returns where the page lives, which is where a browser posts its form.
    pub async fn open_link(&mut self, path: &str) -> anyhow::Result<(Reply, Opened)> {
        let page = self.get(path).await?;
        match (page.status, page.location, page.cookie) {
            (303, Some(to), Some(cookie)) => {
                let reply = self.get_with_cookie(&to, &cookie).await?;
                Ok((reply, Opened { path: to, cookie: Some(cookie) }))
            }
            (status, location, cookie) => {
                let reply = Reply { status, body: page.body, cookie, location };
                Ok((reply, Opened { path: path.to_string(), cookie: None }))
            }
        }
    }

    /// Posts `body` where the opened link's page posts it, with its cookie.
    pub async fn post_to(&mut self, opened: &Opened, body: &[u8]) -> anyhow::Result<Reply> {
        self.post(&opened.path, opened.cookie.as_deref(), body).await
    }

    /// A GET with a session cookie (`name=value`).
    pub async fn get_with_cookie(&mut self, path: &str, cookie: &str) -> anyhow::Result<Reply> {
        let head = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: peil-bench\r\nCookie: {cookie}\r\n\r\n",
            self.addr
        );
        self.send(head.into_bytes()).await
    }

    pub async fn post_form(&mut self, path: &str, body: &[u8]) -> anyhow::Result<Reply> {
        self.post(path, None, body).await
    }

    async fn post(&mut self, path: &str, cookie: Option<&str>, body: &[u8]) -> anyhow::Result<Reply> {
        let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: peil-bench\r\nOrigin: http://{}\r\n{cookie}\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            self.addr,
            body.len()
        );
        let mut request = head.into_bytes();
        request.extend_from_slice(body);
        self.send(request).await
    }

    async fn send(&mut self, request: Vec<u8>) -> anyhow::Result<Reply> {
        let stream = match &mut self.stream {
            Some(stream) => stream,
            None => self.stream.insert(connect(self.addr).await?),
        };
        // One write per request: with Nagle off, a split head and body would cost a round trip.
        stream.get_mut().write_all(&request).await.context("writing the request")?;
        let (reply, keep) = read_reply(stream).await?;
        if !keep {
            self.stream = None;
        }
        Ok(reply)
    }
}

async fn connect(addr: SocketAddr) -> anyhow::Result<BufReader<TcpStream>> {
    let stream = TcpStream::connect(addr).await.with_context(|| format!("connecting to {addr}"))?;
    stream.set_nodelay(true)?;
    Ok(BufReader::with_capacity(64 * 1024, stream))
}

/// Reads one response; the flag says whether the connection may be used again.
async fn read_reply(stream: &mut BufReader<TcpStream>) -> anyhow::Result<(Reply, bool)> {
    let status_line = read_line(stream).await?;
    let status = parse_status(&status_line)?;
    let mut length = None;
    let mut chunked = false;
    let mut keep = true;
    let mut cookie = None;
    let mut location = None;
    loop {
        let line = read_line(stream).await?;
        if line.is_empty() {
            break;
        }
        let Some((name, value)) = line.split_once(':') else { bail!("a header without a colon: {line}") };
        let value = value.trim();
        match name.trim().to_ascii_lowercase().as_str() {
            "content-length" => length = Some(value.parse::<usize>().context("Content-Length")?),
            "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
            "connection" => keep = !value.eq_ignore_ascii_case("close"),
            "set-cookie" if cookie.is_none() => cookie = value.split(';').next().map(str::to_string),
            "location" => location = Some(value.to_string()),
            _ => {}
        }
    }
    let body = match (chunked, length) {
        (true, _) => read_chunked(stream).await?,
        (false, Some(n)) => read_exact(stream, n).await?,
        (false, None) if status == 204 || status == 304 => Vec::new(),
        (false, None) => bail!("a response without a length (status {status})"),
    };
    Ok((Reply { status, body, cookie, location }, keep))
}

fn parse_status(line: &str) -> anyhow::Result<u16> {
    let mut parts = line.split(' ');
    match (parts.next(), parts.next()) {
        (Some(version), Some(code)) if version.starts_with("HTTP/1.") => Ok(code.parse()?),
        _ => bail!("not an HTTP/1.x status line: {line:?}"),
    }
}

/// One line without its CRLF; the end of the stream here means the server hung up.
async fn read_line(stream: &mut BufReader<TcpStream>) -> anyhow::Result<String> {
    let mut line = String::new();
    if stream.read_line(&mut line).await? == 0 {
        bail!("the server closed the connection");
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

async fn read_exact(stream: &mut BufReader<TcpStream>, n: usize) -> anyhow::Result<Vec<u8>> {
    let mut body = vec![0; n];
    stream.read_exact(&mut body).await.context("reading the body")?;
    Ok(body)
}

async fn read_chunked(stream: &mut BufReader<TcpStream>) -> anyhow::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(stream).await?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).with_context(|| format!("chunk size {line:?}"))?;
        if size == 0 {
            // Trailers, if any, end with an empty line.
            while !read_line(stream).await?.is_empty() {}
            return Ok(body);
        }
        body.extend(read_exact(stream, size).await?);
        read_line(stream).await?;
    }
}
