-- kira lsp for Neovim 0.11 or later: put this file in ~/.config/nvim/plugin/ (or source it).
-- Story files are YAML; the server answers for files in a folder with a story.yaml above them.
vim.lsp.config("kira", {
  cmd = { "kira", "lsp" },          -- or { ".venv/bin/kira", "lsp", "--pack", "story/packs/my_pack" }
  filetypes = { "yaml" },
  root_markers = { "story.yaml", ".git" },
})
vim.lsp.enable("kira")

-- If you also use yaml-language-server (yamlls) for the schema, make it read YAML the way the
-- engine does (1.1: an unquoted No is false), so that `label: No` is flagged there too.
vim.lsp.config("yamlls", {
  settings = { yaml = { yamlVersion = "1.1" } },
})
