-- An editor session, as a Neovim user with `oomlint lsp` has it (tests/test_editor.py runs
-- this in a headless Neovim from Debian's packages). For each file named in
-- $OOMLINT_FILES (separated by ':'): open it, start the language server with
-- vim.lsp.start_client (Neovim 0.7-0.10; 0.11+ also has vim.lsp.config), wait for its
-- diagnostics, ask for the quick fixes of the first one, apply the "Fix" action and save.
-- What Neovim saw is written as JSON to $OOMLINT_RESULT; then Neovim quits.

local WAIT_MS = 60000 -- a bound against a hang, not a measure: the test never times anything

local result = { files = {} }
local function finish(failure)
  result.failure = failure or vim.NIL
  local out = io.open(os.getenv("OOMLINT_RESULT"), "w")
  out:write(vim.fn.json_encode(result))
  out:close()
  vim.cmd("qall!")
end

local ok, failure = pcall(function()
  local client_id = vim.lsp.start_client({
    name = "oomlint",
    cmd = { os.getenv("OOMLINT_BIN"), "lsp" },
    root_dir = os.getenv("OOMLINT_ROOT"),
  })
  assert(client_id, "the language server did not start")
  for file in string.gmatch(os.getenv("OOMLINT_FILES"), "[^:]+") do
    vim.cmd("edit " .. vim.fn.fnameescape(file))
    local buffer = vim.api.nvim_get_current_buf()
    vim.lsp.buf_attach_client(buffer, client_id)
    assert(vim.wait(WAIT_MS, function() return #vim.diagnostic.get(buffer) > 0 end, 20), "no diagnostics for " .. file)
    local seen = {}
    for _, diagnostic in ipairs(vim.diagnostic.get(buffer)) do
      table.insert(seen, {
        line = diagnostic.lnum, column = diagnostic.col, end_line = diagnostic.end_lnum, end_column = diagnostic.end_col,
        code = diagnostic.code, message = diagnostic.message,
      })
    end
    -- Back to LSP's form, as vim.lsp.buf.code_action() does (columns: the files are ASCII).
    local shown = vim.diagnostic.get(buffer)[1]
    local first = {
      range = { start = { line = shown.lnum, character = shown.col }, ["end"] = { line = shown.end_lnum, character = shown.end_col } },
      severity = shown.severity, message = shown.message, source = shown.source, code = shown.code,
    }
    local replies = vim.lsp.buf_request_sync(buffer, "textDocument/codeAction", {
      textDocument = vim.lsp.util.make_text_document_params(buffer),
      range = first.range,
      context = { diagnostics = { first }, only = { "quickfix" } },
    }, WAIT_MS)
    local titles, applied = {}, nil
    for _, reply in pairs(replies or {}) do
      for _, action in ipairs(reply.result or {}) do
        table.insert(titles, action.title)
        if applied == nil and string.sub(action.title, 1, 4) == "Fix " then
          vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
          applied = action.title
        end
      end
    end
    vim.cmd("write")
    table.insert(result.files, { file = file, diagnostics = seen, actions = titles, applied = applied })
  end
end)
finish(not ok and tostring(failure) or nil)
