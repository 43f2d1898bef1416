-- The book's pandoc filter, run on each page of docs/ (scripts/book/build.sh):
--   * a code span that names a file of the tree (`src/mm/heap.c`, or
--     `src/kernel/crash.c:42`, or a command `scripts/ktest-run.sh ...`,
--     or `main.c` in a paragraph that names its folder `src/kernel/`, or
--     a bare name only one file of the tree has, as `entry.asm`)
--     becomes a link to that file's page in code/, at that line if given;
--   * a code span that names a function (`heap_alloc()`) becomes a link
--     to the line that defines it, from scripts/book/definitions.sh's
--     index; a name defined in several files goes to the one named in
--     the same paragraph, else the one named most recently before;
--   * a link to another page of docs/ (`labs/pmm.md`) goes to its .html,
--     a link to another file of the tree (`../src/mm/pmm.c`) to code/;
--   * a picture alone in its paragraph becomes a figure, its caption below.
-- Headings and link texts keep their code spans as they are.
--
-- What it reads and writes, as metadata (-M):
--   book-page     this page's path under docs/, as labs/pmm.md
--   book-files    a file listing the tree's files, one per line
--   book-defs     the index of definitions: NAME PATH LINE
--   book-record   where to write the tree's files this page linked to
--   book-contents where to write this page's entry in the book's contents

traverse = 'topdown'

local files = {}        -- set of the tree's files, by path
local folders = {}      -- set of their folders, as src/kernel/
local by_name = {}      -- a file's bare name -> its path, or false if several have it
local definitions = {}  -- NAME -> list of {path, line}, preferred first
local page              -- this page, under docs/
local root              -- from this page to the book's root: '' or '../'
local linked = {}       -- the tree's files this page links to: path -> true
local recent = {}       -- files named so far on this page, in order

local function read_lines(path)
  local lines = {}
  for line in io.lines(path) do lines[#lines + 1] = line end
  return lines
end

local function load(meta)
  page = pandoc.utils.stringify(meta['book-page'])
  root = string.rep('../', select(2, page:gsub('/', '')))
  for _, path in ipairs(read_lines(pandoc.utils.stringify(meta['book-files']))) do
    files[path] = true
    for folder in path:gmatch('()/') do folders[path:sub(1, folder)] = true end
    local name = path:match('[^/]+$')
    if not path:match('^docs/') then by_name[name] = by_name[name] == nil and path end
  end
  for _, line in ipairs(read_lines(pandoc.utils.stringify(meta['book-defs']))) do
    local name, path, number = line:match('^(%S+) (%S+) (%d+)$')
    definitions[name] = definitions[name] or {}
    table.insert(definitions[name], { path = path, line = number })
  end
end

-- The book's address of a file of the tree (PATH relative to the top):
-- a page of docs/ is a page of the book, another file of docs/ (a
-- picture) is copied there, anything else is in code/.
local function address_of(path, line)
  local doc = path:match('^docs/(.*)%.md$')
  if doc then return root .. doc .. '.html' end
  if path:match('^docs/') then return root .. path:sub(#'docs/' + 1) end
  linked[path] = true
  return root .. 'code/' .. path .. '.html' .. (line and ('#L-' .. line) or '')
end

-- The file a code span names, if any: the whole span, a PATH:LINE, the
-- first word of a command, a bare name in one of the folders the
-- paragraph names, or a bare name with an extension that one file has.
local function file_named(text, folders_here)
  local path, line = text:match('^([%w_./-]+):(%d+)$')
  if path and files[path] then return path, line end
  path = text:match('^([%w_./-]+)$') or text:match('^([%w_./-]+) ')
  if path and files[path] then return path end
  for _, folder in ipairs(folders_here or {}) do
    if files[folder .. text] then return folder .. text end
  end
  if text:match('^[%w_-]+%.%w+$') and by_name[text] then return by_name[text] end
end

-- The function a code span names: `name()` or `name(arguments)`.
local function function_named(text)
  local name = text:match('^([%a_][%w_]*)%(.*%)$')
  if name and definitions[name] then return name end
end

local function definition_of(name, here)
  local candidates = definitions[name]
  for _, d in ipairs(candidates) do
    if here[d.path] then return d end
  end
  for i = #recent, 1, -1 do
    for _, d in ipairs(candidates) do
      if d.path == recent[i] then return d end
    end
  end
  return candidates[1]
end

local keep_as_is = {
  Header = function(h) return h, false end,
  Link = function(l) return l, false end,
}

-- The files and folders a block names; the files also become the
-- recent ones.
local function files_in(block)
  local here, folders_here = {}, {}
  pandoc.walk_block(block, {
    Code = function(c)
      if folders[c.text] then table.insert(folders_here, c.text) end
    end,
  })
  pandoc.walk_block(block, {
    Code = function(c)
      local path = file_named(c.text, folders_here)
      if path then
        here[path] = true
        table.insert(recent, path)
      end
    end,
  })
  return here, folders_here
end

local function link_code(block)
  if block.t == 'Header' then return block end
  local here, folders_here = files_in(block)
  return pandoc.walk_block(block, {
    traverse = 'topdown',
    Header = keep_as_is.Header,
    Link = keep_as_is.Link,
    Code = function(c)
      local path, line = file_named(c.text, folders_here)
      if path then return pandoc.Link(c, address_of(path, line)), false end
      local name = function_named(c.text)
      if name then
        local d = definition_of(name, here)
        return pandoc.Link(c, address_of(d.path, d.line)), false
      end
    end,
  })
end

-- PATH relative to the top of the tree, from a link on this page.
local function from_top(target)
  local parts = {}
  for part in ('docs/' .. page):gsub('[^/]*$', '') :gmatch('[^/]+') do table.insert(parts, part) end
  for part in target:gmatch('[^/]+') do
    if part == '..' then table.remove(parts) elseif part ~= '.' then table.insert(parts, part) end
  end
  return table.concat(parts, '/')
end

-- A link to a page of docs/ (foo.md, ../foo.md#part) goes to its .html;
-- a link to another file of the tree (../src/mm/pmm.c) to its page in code/.
local function link_page(l)
  if l.target:match('^%a+:') or l.target:match('^#') then return l end
  local path, anchor = l.target:match('^([^#]*)(.*)$')
  if path:match('%.md$') then
    l.target = path:gsub('%.md$', '.html') .. anchor
  elseif files[from_top(path)] then
    l.target = address_of(from_top(path)) .. anchor
  end
  return l
end

-- pandoc 2.17 writes an image as a figure when its title starts "fig:".
local function figure(para)
  if #para.content == 1 and para.content[1].t == 'Image' then
    local image = para.content[1]
    image.title = 'fig:' .. image.title
    return pandoc.Para({ image })
  end
end

local function write_file(path, text)
  local f = assert(io.open(path, 'w'))
  f:write(text)
  f:close()
end

-- This page in the book's contents: its title, and its sections
-- (level 2), as a markdown list item.
local function contents_entry(doc)
  local address = page:gsub('%.md$', '.html')
  local text = ''
  for _, block in ipairs(doc.blocks) do
    if block.t == 'Header' and block.level <= 2 then
      local indent = block.level == 1 and '- ' or '    - '
      local title = pandoc.write(pandoc.Pandoc({ pandoc.Plain(block.content) }), 'markdown')
        :gsub('%s+', ' '):gsub(' $', '')
      local anchor = block.level == 1 and '' or ('#' .. block.identifier)
      text = text .. indent .. '[' .. title .. '](' .. address .. anchor .. ')\n'
    end
  end
  return text
end

-- The page's title (its first level-1 heading) leaves the body for the
-- template, which shows it above the page's contents, where a reader
-- looks first; the contents then list the sections only.
local function title_first(doc)
  for i, block in ipairs(doc.blocks) do
    if block.t == 'Header' and block.level == 1 then
      doc.meta['chapter-title'] = pandoc.MetaInlines(block.content)
      doc.meta['chapter-id'] = block.identifier
      doc.blocks:remove(i)
      return doc
    end
  end
  return doc
end

function Pandoc(doc)
  load(doc.meta)
  local blocks = {}
  for i, block in ipairs(doc.blocks) do
    blocks[i] = link_code(block)
  end
  doc.blocks = blocks
  doc = doc:walk({ Link = link_page, Para = figure })

  local paths = {}
  for path in pairs(linked) do paths[#paths + 1] = path end
  table.sort(paths)
  write_file(pandoc.utils.stringify(doc.meta['book-record']), table.concat(paths, '\n') .. '\n')
  write_file(pandoc.utils.stringify(doc.meta['book-contents']), contents_entry(doc))
  return title_first(doc), false
end
