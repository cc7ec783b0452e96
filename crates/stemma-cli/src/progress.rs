//! A progress line for long jobs: records, records/s, MB/s, share done and
//! time left, redrawn at most ten times a second on standard error, and only
//! when standard error is a terminal (quiet in scripts and logs).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// A one-line progress display.
pub struct Progress {
    label: String,
    enabled: bool,
    start: Instant,
    last: Option<Instant>,
    drawn: bool,
}

fn human_duration(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

impl Progress {
    /// A progress line labelled `label`, drawn only on a terminal.
    pub fn new(label: &str) -> Progress {
        Progress {
            label: label.to_string(),
            enabled: std::io::stderr().is_terminal(),
            start: Instant::now(),
            last: None,
            drawn: false,
        }
    }

    /// Seconds since the start.
    pub fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    /// Redraws (throttled): `records` done, `bytes` of `total` read.
    pub fn update(&mut self, records: u64, bytes: u64, total: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self.last.is_some_and(|l| now.duration_since(l) < Duration::from_millis(100)) {
            return;
        }
        self.last = Some(now);
        let secs = self.elapsed().max(1e-3);
        let mut line = format!(
            "{}  {} records  {:.0} rec/s  {:.1} MB/s",
            self.label,
            records,
            records as f64 / secs,
            bytes as f64 / 1e6 / secs
        );
        if total > 0 {
            let done = (bytes as f64 / total as f64).min(1.0);
            line.push_str(&format!("  {:>3.0}%", done * 100.0));
            if done > 0.01 && done < 1.0 {
                let left = Duration::from_secs_f64(secs * (1.0 - done) / done);
                line.push_str(&format!("  ETA {}", human_duration(left)));
            }
        }
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    /// Redraws (throttled) a stage of a multi-stage job: `done` of `total`.
    pub fn stage(&mut self, name: &str, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        let now = Instant::now();
        if self.last.is_some_and(|l| now.duration_since(l) < Duration::from_millis(100)) && done < total {
            return;
        }
        self.last = Some(now);
        let share = if total > 0 { done as f64 / total as f64 } else { 0.0 };
        let line = format!(
            "{}  {name}  {done}/{total}  {:>3.0}%  {}",
            self.label,
            share * 100.0,
            human_duration(self.start.elapsed())
        );
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "\r\x1b[2K{line}");
        let _ = err.flush();
        self.drawn = true;
    }

    /// Prints a line above the progress display.
    pub fn println(&mut self, msg: &str) {
        let mut err = std::io::stderr().lock();
        if self.drawn {
            let _ = write!(err, "\r\x1b[2K");
            self.drawn = false;
        }
        let _ = writeln!(err, "{msg}");
    }

    /// Clears the display.
    pub fn finish(&mut self) {
        if self.drawn {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
            self.drawn = false;
        }
    }
}
