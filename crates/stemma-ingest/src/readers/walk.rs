//! Walking a folder: recursively, in sorted order (so that every run reads
//! files in the same order), filtered by the include and exclude globs.

use super::input::{kind_from_name, Context};
use super::{SkipReason, Skipped};
use std::ffi::OsString;
use std::fs::{self, FileType};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file to read, found in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FoundFile {
    /// Where it is.
    pub path: PathBuf,
    /// How it is shown in origins: the folder as given, then the relative path.
    pub name: String,
    /// Its path relative to the folder, with `/` separators: the id of a
    /// one-document file.
    pub id: String,
}

struct Entry {
    name: OsString,
    path: PathBuf,
    file_type: Option<FileType>,
}

struct Frame {
    rel: String,
    entries: std::vec::IntoIter<Entry>,
}

/// The files of one folder, depth first, each folder's entries sorted by
/// name. Only one listing per level is held in memory.
pub(crate) struct Walk {
    root: Option<PathBuf>,
    root_name: String,
    stack: Vec<Frame>,
    ctx: Arc<Context>,
}

/// A folder's entries, sorted by name.
fn list(dir: &Path) -> std::io::Result<std::vec::IntoIter<Entry>> {
    let mut entries: Vec<Entry> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| Entry { name: e.file_name(), path: e.path(), file_type: e.file_type().ok() })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries.into_iter())
}

impl Walk {
    /// A walk of `root`, shown in messages as `root_name`.
    pub(crate) fn new(root: &Path, root_name: &str, ctx: &Arc<Context>) -> Walk {
        Walk {
            root: Some(root.to_path_buf()),
            root_name: root_name.to_string(),
            stack: Vec::new(),
            ctx: Arc::clone(ctx),
        }
    }

    fn shown(&self, rel: &str) -> String {
        if self.root_name.is_empty() || self.root_name == "." {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.root_name)
        }
    }

    fn excluded(&self, rel: &str, is_dir: bool) -> bool {
        self.ctx.exclude.iter().any(|g| g.matches(rel, is_dir))
    }

    fn included(&self, rel: &str) -> bool {
        self.ctx.include.is_empty() || self.ctx.include.iter().any(|g| g.matches(rel, false))
    }
}

impl Iterator for Walk {
    type Item = Result<FoundFile, Skipped>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(root) = self.root.take() {
            match list(&root) {
                Ok(entries) => self.stack.push(Frame { rel: String::new(), entries }),
                Err(e) => {
                    let what = format!("cannot list this folder ({e}); check permissions");
                    return Some(Err(Skipped::new(SkipReason::Unreadable, &self.root_name, what)));
                }
            }
        }
        loop {
            let frame = self.stack.last_mut()?;
            let Some(entry) = frame.entries.next() else {
                self.stack.pop();
                continue;
            };
            let name = entry.name.to_string_lossy();
            if !self.ctx.opts.hidden && name.starts_with('.') {
                continue;
            }
            let rel = if frame.rel.is_empty() { name.into_owned() } else { format!("{}/{name}", frame.rel) };
            let file_type = match entry.file_type {
                Some(t) => t,
                None => match fs::symlink_metadata(&entry.path) {
                    Ok(m) => m.file_type(),
                    Err(e) => {
                        let what = format!("cannot read ({e}); check permissions");
                        return Some(Err(Skipped::new(SkipReason::Unreadable, &self.shown(&rel), what)));
                    }
                },
            };
            let (is_dir, is_file) = if file_type.is_symlink() {
                match fs::metadata(&entry.path) {
                    // Linked folders are not followed: a link to a parent
                    // would make the walk endless.
                    Ok(m) if m.is_dir() => {
                        if self.excluded(&rel, true) {
                            continue;
                        }
                        return Some(Err(Skipped::new(
                            SkipReason::SymlinkDir,
                            &self.shown(&rel),
                            "is a link to a folder, which is not followed; give the folder itself to read it",
                        )));
                    }
                    Ok(m) => (false, m.is_file()),
                    Err(e) => {
                        let what = format!("is a broken link ({e})");
                        return Some(Err(Skipped::new(SkipReason::Unreadable, &self.shown(&rel), what)));
                    }
                }
            } else {
                (file_type.is_dir(), file_type.is_file())
            };
            if is_dir {
                if self.excluded(&rel, true) {
                    continue;
                }
                match list(&entry.path) {
                    Ok(entries) => self.stack.push(Frame { rel, entries }),
                    Err(e) => {
                        let what = format!("cannot list this folder ({e}); check permissions");
                        return Some(Err(Skipped::new(SkipReason::Unreadable, &self.shown(&rel), what)));
                    }
                }
                continue;
            }
            // Sockets, pipes and devices are not documents (and opening a
            // pipe could wait forever).
            if !is_file || self.excluded(&rel, false) || !self.included(&rel) {
                continue;
            }
            return Some(Ok(FoundFile { path: entry.path, name: self.shown(&rel), id: rel }));
        }
    }
}

/// The total size of the files of a folder that a walk would read.
pub(crate) fn total_size(root: &Path, ctx: &Arc<Context>) -> u64 {
    Walk::new(root, "", ctx)
        .filter_map(Result::ok)
        .filter(|f| {
            let name = f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let (kind, compressed) = kind_from_name(&name);
            kind.is_some() || compressed
        })
        .filter_map(|f| fs::metadata(&f.path).ok())
        .map(|m| m.len())
        .sum()
}
