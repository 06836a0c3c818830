//! Live reload: open browser tabs listen on a Server-Sent Events stream and
//! are told when the site was rebuilt, or that the build failed.

use std::sync::Mutex;
use std::sync::mpsc::{Receiver, Sender, channel};

/// Most listening tabs at once; more are refused rather than holding threads.
pub const MAX_LISTENERS: usize = 64;

/// A message to the tabs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The site changed: reload.
    Reload,
    /// Only stylesheets changed: swap them.
    Css,
    /// The build failed: show these messages over the page.
    Failed(Vec<String>),
    /// The site is built and current.
    Ok,
}

impl Message {
    /// The message as an SSE event.
    pub fn to_sse(&self) -> String {
        match self {
            Message::Reload => "event: reload\ndata: {}\n\n".to_string(),
            Message::Css => "event: css\ndata: {}\n\n".to_string(),
            Message::Ok => "event: ok\ndata: {}\n\n".to_string(),
            Message::Failed(lines) => format!(
                "event: failed\ndata: {}\n\n",
                serde_json::to_string(lines).unwrap_or_else(|_| "[]".to_string())
            ),
        }
    }
}

/// The tabs listening for messages.
#[derive(Default)]
pub struct Hub {
    listeners: Mutex<Vec<Sender<Message>>>,
}

impl Hub {
    /// Registers a listener; `None` when too many are open already.
    pub fn listen(&self) -> Option<Receiver<Message>> {
        let mut listeners = self.listeners.lock().ok()?;
        if listeners.len() >= MAX_LISTENERS {
            return None;
        }
        let (tx, rx) = channel();
        listeners.push(tx);
        Some(rx)
    }

    /// Sends a message to every listener, forgetting those that went away.
    pub fn broadcast(&self, message: &Message) {
        if let Ok(mut listeners) = self.listeners.lock() {
            listeners.retain(|tx| tx.send(message.clone()).is_ok());
        }
    }

    /// How many tabs listen.
    pub fn count(&self) -> usize {
        self.listeners.lock().map(|l| l.len()).unwrap_or(0)
    }
}
