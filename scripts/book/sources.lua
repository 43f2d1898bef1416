-- Writes the book's page for each file of the tree the chapters name:
-- code/PATH.html, the file highlighted, each line numbered and its own
-- anchor (#L-12, the line a function's link points to), under a line
-- saying which pages name it. One pandoc run writes them all (a run per
-- file would spend most of its time starting pandoc); it runs as a
-- filter on an empty document, from scripts/book/build.sh, with:
--   -M book-out=DIR       the book's root (code/ and its folders exist)
--   -M book-named=FILE    lines "PATH<TAB>PAGE<TAB>TITLE": PATH is named
--                         on the page PAGE (its address from the root)

local language_of = {
  c = 'c', h = 'c', asm = 'nasm', sh = 'bash', py = 'python',
  md = 'markdown',
}
local language_of_name = { Makefile = 'makefile' }

local function language(path)
  local name = path:match('[^/]+$')
  return language_of_name[name] or language_of[name:match('%.(%w+)$') or ''] or ''
end

local function read(path)
  local f = assert(io.open(path, 'r'))
  local text = f:read('a')
  f:close()
  return text
end

-- The pages that name each file, in the order the list gives them.
local function named_in(list)
  local pages, order = {}, {}
  for line in io.lines(list) do
    local path, page, title = line:match('^([^\t]+)\t([^\t]+)\t(.*)$')
    if not pages[path] then
      pages[path] = {}
      table.insert(order, path)
    end
    table.insert(pages[path], { address = page, title = title })
  end
  return pages, order
end

local function body(path, pages, root)
  local mentions = { pandoc.Str('Named in: ') }
  for i, p in ipairs(pages) do
    if i > 1 then table.insert(mentions, pandoc.Str(', ')) end
    table.insert(mentions, pandoc.Link(p.title, root .. p.address))
  end
  local text = read(path):gsub('\n$', '')
  return pandoc.write(pandoc.Pandoc({
    pandoc.Header(1, { pandoc.Code(path) }),
    pandoc.Para(mentions, { class = 'named-in' }),
    pandoc.CodeBlock(text, { id = 'L', class = language(path) .. ' numberLines' }),
  }), 'html')
end

local function page(path, pages)
  local root = string.rep('../', select(2, path:gsub('/', '')) + 1)
  return table.concat({
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '  <meta charset="utf-8" />',
    '  <title>' .. path .. ' · Cairn</title>',
    '  <link rel="stylesheet" href="' .. root .. 'book.css" />',
    '</head>',
    '<body>',
    '<nav class="pages"><a href="' .. root .. 'index.html">Contents</a></nav>',
    '<main class="source">',
    body(path, pages, root),
    '</main>',
    '</body>',
    '</html>',
    '',
  }, '\n')
end

function Pandoc(doc)
  local out = pandoc.utils.stringify(doc.meta['book-out'])
  local pages, order = named_in(pandoc.utils.stringify(doc.meta['book-named']))
  for _, path in ipairs(order) do
    local f = assert(io.open(out .. '/code/' .. path .. '.html', 'w'))
    f:write(page(path, pages[path]))
    f:close()
  end
  return doc
end
