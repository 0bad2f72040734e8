//! A lean keep-alive HTTP/1.1 client for the load runs: one blocking connection a client thread,
//! a request is a write and a few reads into reused buffers. The clients share the machine with
//! the server they measure (2 cores here), so every microsecond they spend is taken from it;
//! like wrk, this client spends few. Only what the bench needs: GET, `Content-Length` or chunked
//! bodies, reconnecting when the server closes.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;

/// An answer's status and body.
pub struct Answer<'a> {
    pub status: u16,
    pub body: &'a [u8],
}

pub struct Connection {
    host: String,
    stream: Option<BufReader<TcpStream>>,
    request: Vec<u8>,
    line: String,
    body: Vec<u8>,
}

/// `http://host:port/path?query` as (`host:port`, `/path?query`).
pub fn split_url(url: &str) -> Option<(&str, &str)> {
    let rest = url.strip_prefix("http://")?;
    let slash = rest.find('/')?;
    Some((&rest[..slash], &rest[slash..]))
}

fn invalid(message: impl Into<String>) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, message.into())
}

impl Connection {
    pub fn new(host: &str) -> Self {
        Connection {
            host: host.to_owned(),
            stream: None,
            request: Vec::with_capacity(512),
            line: String::with_capacity(128),
            body: Vec::with_capacity(64 * 1024),
        }
    }

    /// GETs `path` (with its query), reconnecting once if the kept connection was closed.
    pub fn get(&mut self, path: &str) -> std::io::Result<Answer<'_>> {
        let reused = self.stream.is_some();
        let status = match self.exchange(path) {
            Ok(status) => status,
            Err(_) if reused => {
                self.stream = None;
                self.exchange(path)?
            }
            Err(error) => {
                self.stream = None;
                return Err(error);
            }
        };
        Ok(Answer {
            status,
            body: &self.body,
        })
    }

    fn exchange(&mut self, path: &str) -> std::io::Result<u16> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.host)?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::with_capacity(64 * 1024, stream));
        }
        let Some(stream) = self.stream.as_mut() else {
            return Err(invalid("no connection"));
        };
        self.request.clear();
        write!(
            self.request,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: application/json\r\n\r\n",
            self.host
        )?;
        stream.get_mut().write_all(&self.request)?;

        self.line.clear();
        if stream.read_line(&mut self.line)? == 0 {
            return Err(invalid("the server closed the connection"));
        }
        let status: u16 = self
            .line
            .split_whitespace()
            .nth(1)
            .and_then(|code| code.parse().ok())
            .ok_or_else(|| invalid(format!("not an HTTP status line: {:?}", self.line)))?;
        let mut length: Option<usize> = None;
        let mut chunked = false;
        let mut close = false;
        loop {
            self.line.clear();
            if stream.read_line(&mut self.line)? == 0 {
                return Err(invalid("the answer's headers end early"));
            }
            let header = self.line.trim_end();
            if header.is_empty() {
                break;
            }
            let Some((name, value)) = header.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = Some(value.parse().map_err(|_| invalid("a bad Content-Length"))?);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.eq_ignore_ascii_case("chunked");
            } else if name.eq_ignore_ascii_case("connection") {
                close = value.eq_ignore_ascii_case("close");
            }
        }
        self.body.clear();
        if chunked {
            loop {
                self.line.clear();
                stream.read_line(&mut self.line)?;
                let size = usize::from_str_radix(
                    self.line.trim().split(';').next().unwrap_or_default(),
                    16,
                )
                .map_err(|_| invalid("a bad chunk size"))?;
                let start = self.body.len();
                self.body.resize(start + size, 0);
                stream.read_exact(&mut self.body[start..])?;
                self.line.clear();
                stream.read_line(&mut self.line)?;
                if size == 0 {
                    break;
                }
            }
        } else if let Some(length) = length {
            self.body.resize(length, 0);
            stream.read_exact(&mut self.body)?;
        } else {
            stream.read_to_end(&mut self.body)?;
            close = true;
        }
        if close {
            self.stream = None;
        }
        Ok(status)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn reads_length_and_chunked_bodies_over_one_connection_and_reconnects() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let server = std::thread::spawn(move || {
            for answers in [
                vec![
                    "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello".to_string(),
                    "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".to_string(),
                ],
                vec!["HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".to_string()],
            ] {
                let (stream, _) = listener.accept().unwrap();
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                for answer in answers {
                    let mut line = String::new();
                    loop {
                        line.clear();
                        reader.read_line(&mut line).unwrap();
                        if line == "\r\n" {
                            break;
                        }
                    }
                    writer.write_all(answer.as_bytes()).unwrap();
                }
            }
        });
        let mut connection = Connection::new(&addr);
        let first = connection.get("/a?q=1").unwrap();
        assert_eq!((first.status, first.body), (200, &b"hello"[..]));
        let second = connection.get("/b").unwrap();
        assert_eq!((second.status, second.body), (404, &b"abcde"[..]));
        // The first connection is closed after its two answers: the third reconnects.
        let third = connection.get("/c").unwrap();
        assert_eq!((third.status, third.body), (200, &b"ok"[..]));
        server.join().unwrap();
        assert_eq!(
            split_url("http://127.0.0.1:80/api?q=x"),
            Some(("127.0.0.1:80", "/api?q=x"))
        );
    }
}
