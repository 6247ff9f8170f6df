import * as vscode from 'vscode';
import { previewDocument } from '../../core/mockup/previewHtml';

/**
 * Shows generated HTML in a webview panel. The page is untrusted model output: scripts and forms
 * are off, `localResourceRoots` is empty (nothing of the extension or the workspace can be
 * loaded) and the CSP of `previewDocument` blocks every network request.
 */
export function openMockupPreview(html: string, title: string): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel('moonpilot.mockupPreview', `Preview: ${title}`, vscode.ViewColumn.Beside, {
    enableScripts: false,
    enableForms: false,
    enableCommandUris: false,
    localResourceRoots: [],
    retainContextWhenHidden: false,
  });
  panel.webview.html = previewDocument(html);
  return panel;
}
