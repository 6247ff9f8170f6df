// Chat webview entry (browser). Filled in by the chat feature.
