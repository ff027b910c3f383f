// Starts `kira lsp` for the YAML files of a story folder. The server does all the work;
// this file only tells VS Code how to run it.
const path = require("path");
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate() {
  const config = vscode.workspace.getConfiguration("kira");
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  let command = config.get("command", "kira");
  if (folder && command.includes("/") && !path.isAbsolute(command)) {
    command = path.join(folder, command);
  }
  const serverOptions = { command, args: ["lsp", ...config.get("lspArgs", [])], options: { cwd: folder } };
  const clientOptions = { documentSelector: [{ scheme: "file", language: "yaml" }] };
  client = new LanguageClient("kira", "Kira story checker", serverOptions, clientOptions);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
