//! The server over real loopback sockets: answers, closes connections that
//! trickle their headers, abandons requests whose body never comes, and
//! shuts down when told to.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use stemma_serve::{serve, App, ServeOptions};

/// Reads until the server closes the connection or `limit` passes.
fn read_all(s: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let t = Instant::now();
    s.set_read_timeout(Some(limit)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), t.elapsed())
}

#[test]
fn sockets_time_out_and_the_server_stops() {
    let opts = ServeOptions {
        header_timeout: Duration::from_millis(300),
        timeout: Duration::from_secs(1),
        ..ServeOptions::default()
    };
    let app = App::open(opts).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let listener = rt.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = rt.spawn(serve(listener, app, async {
        let _ = rx.await;
    }));

    // A plain request.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET /static/app.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let (res, _) = read_all(&mut s, Duration::from_secs(5));
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.to_ascii_lowercase().contains("content-security-policy: default-src 'self'"), "{res}");

    // Headers that never end: the connection is closed after the header deadline.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    let (_, waited) = read_all(&mut s, Duration::from_secs(10));
    assert!(waited < Duration::from_secs(5), "header deadline not applied: {waited:?}");

    // A body that never comes: 503 after the request deadline.
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(
        b"POST /api/compare HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    )
    .unwrap();
    let (res, waited) = read_all(&mut s, Duration::from_secs(10));
    assert!(res.starts_with("HTTP/1.1 503"), "{res}");
    assert!(res.contains("\"error\":\"the request took longer than"), "{res}");
    assert!(waited < Duration::from_secs(5), "{waited:?}");

    // Shutdown: serve returns.
    let idle = TcpStream::connect(addr).unwrap();
    tx.send(()).unwrap();
    rt.block_on(async { tokio::time::timeout(Duration::from_secs(10), server).await }).unwrap().unwrap();
    drop(idle);
    assert!(TcpStream::connect(addr).is_err(), "still accepting after shutdown");
}
