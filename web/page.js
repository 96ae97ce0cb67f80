// The page: takes dropped or picked files, runs nianbao on them in this browser and shows the
// findings as `nianbao lint` prints them. Nothing leaves the machine: the engine is the
// WebAssembly module carried inside the page, and the page's Content-Security-Policy forbids
// every network request.
//
// scripts/build-web.sh inlines this file after the wasm-bindgen module `nianbao.js` in one
// <script type="module">, dropping the import line below (the bindings are then in scope).
import init, { lint, lint_text, render, is_data_file } from './nianbao.js'; // nianbao:strip

const $ = (id) => document.getElementById(id);
const statusLine = $('status');
const results = $('results');

// The page's progress, for people (the status line) and for tests (`data-state` on <body>):
// loading → ready → busy → done, or broken when the engine cannot start.
function setState(state, message, isError = false) {
  document.body.dataset.state = state;
  if (message !== undefined) statusLine.textContent = message;
  statusLine.classList.toggle('error', isError);
}

// The WebAssembly module, gzip-compressed and base64-encoded in the page itself: Chromium
// refuses to fetch a module or a .wasm file from a page opened from disk (file://).
async function wasmBytes() {
  const text = $('nianbao-wasm').textContent.replace(/\s+/g, '');
  const binary = atob(text);
  const packed = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) packed[i] = binary.charCodeAt(i);
  const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function options() {
  const year = $('opt-year').value.trim();
  const edition = $('opt-edition').value;
  const encoding = $('opt-encoding').value.trim();
  const config = $('opt-config').value;
  const options = {};
  if (year !== '') options.year = Number(year);
  if (edition !== '') options.edition = Number(edition);
  if (encoding !== '') options.encoding = encoding;
  if (config.trim() !== '') options.config = config;
  return options;
}

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('data-')) node.dataset[key.slice(5).replace(/-(\w)/g, (_, c) => c.toUpperCase())] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function download(name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = element('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function stem(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}

function looksLikePdf(name, bytes) {
  if (/\.pdf$/i.test(name)) return true;
  const head = String.fromCharCode(...bytes.subarray(0, 5));
  return head === '%PDF-';
}

// The human output of one file cut into one block per finding, in the order of the JSON
// document: the header line (`error[S005]: …`), the excerpt lines, and the `= …` notes.
const HEADER = /^(error|warning|info|note|help|bug)\[([^\]]+)\]: /;
function humanBlocks(text) {
  const blocks = [];
  let current = null;
  for (const line of text.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      current = { code: header[2], excerpt: [], notes: [] };
      blocks.push(current);
    } else if (line.startsWith('检查了 ') || line.startsWith('错误：')) {
      current = null;
    } else if (current) {
      const note = /^\s*= (.*)$/.exec(line);
      if (note) current.notes.push(note[1]);
      else current.excerpt.push(line);
    }
  }
  for (const block of blocks) {
    while (block.excerpt.length && /^\s*│?\s*$/.test(block.excerpt.at(-1))) block.excerpt.pop();
  }
  return blocks;
}

function summaryLine(text) {
  return text.split('\n').find((line) => line.startsWith('检查了 ')) ?? '';
}

// The excerpt as the command line draws it, with the finding's span marked on its source line
// and the carets coloured.
function excerptNode(lines, diagnostic) {
  const pre = element('div', { class: 'excerpt' });
  for (const [i, line] of lines.entries()) {
    if (i > 0) pre.append('\n');
    const source = /^(\s*(\d+) │ )(.*)$/.exec(line);
    const caret = /^(\s*│\s*)([\^]+)(.*)$/.exec(line);
    if (source && Number(source[2]) === diagnostic.line && diagnostic.end_line === diagnostic.line
        && diagnostic.end_column > diagnostic.column) {
      const chars = Array.from(source[3]);
      const from = diagnostic.column - 1;
      const to = Math.min(diagnostic.end_column - 1, chars.length);
      if (from < to) {
        pre.append(source[1], chars.slice(0, from).join(''),
          element('mark', {}, chars.slice(from, to).join('')), chars.slice(to).join(''));
        continue;
      }
    }
    if (caret) {
      pre.append(caret[1], element('span', { class: 'caret' }, caret[2]), caret[3]);
      continue;
    }
    pre.append(line);
  }
  return pre;
}

function findingNode(diagnostic, block) {
  const where = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
  const notes = block ? block.notes : [
    ...(diagnostic.location ? [`位置：${diagnostic.location.text}`] : []),
    ...diagnostic.notes,
    ...(diagnostic.fix ? [`建议改为：${diagnostic.fix}`] : []),
  ];
  const severity = { error: '错误', warning: '警告', info: '提示' }[diagnostic.severity] ?? diagnostic.severity;
  return element('div', {
    class: `finding ${diagnostic.severity}`,
    'data-code': diagnostic.code,
    'data-line': String(diagnostic.line),
    'data-column': String(diagnostic.column),
    'data-severity': diagnostic.severity,
  },
  element('div', { class: 'head' },
    element('span', { class: `badge ${diagnostic.severity}` }, severity),
    element('span', { class: 'code' }, diagnostic.code),
    element('span', { class: 'message' }, diagnostic.message)),
  element('div', { class: 'where' }, where),
  block && block.excerpt.length ? excerptNode(block.excerpt, diagnostic) : null,
  notes.length ? element('ul', { class: 'notes' }, ...notes.map((n) => element('li', {}, n))) : null);
}

function fileCard(name) {
  const card = element('section', { class: 'file', 'data-name': name }, element('h2', {}, name));
  results.append(card);
  return card;
}

function renderButtons(card, name, bytes) {
  let yaml;
  try {
    yaml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  const make = (label, format, extension, type) => {
    const button = element('button', { type: 'button', 'data-format': format }, label);
    button.addEventListener('click', () => {
      try {
        download(`${stem(name)}.${extension}`, render(yaml, format), type);
      } catch (error) {
        card.append(element('p', { class: 'failure' }, `无法生成报告：${error.message ?? error}`));
      }
    });
    return button;
  };
  return [
    make('下载报告（网页）', 'html', 'html', 'text/html'),
    make('下载报告（Word）', 'docx', 'docx',
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document'),
  ];
}

// Lints one file and shows its findings; returns the milliseconds the JSON lint took.
function checkFile(name, bytes) {
  const card = fileCard(name);
  if (looksLikePdf(name, bytes)) {
    card.dataset.failed = 'pdf';
    card.append(element('p', { class: 'notice' },
      '网页版不能读取 PDF 文件（读取 PDF 需要 pdftotext 程序，浏览器里没有）。'
      + '请检查同一报告的 Word（.docx）或网页版本，或在电脑上用命令行检查：nianbao lint 报告.pdf'));
    return 0;
  }
  const settings = options();
  const start = performance.now();
  const json = lint(name, bytes, settings);
  const ms = performance.now() - start;
  const text = lint_text(name, bytes, settings);
  const report = JSON.parse(json);
  const summary = report.summary;
  card.dataset.ms = ms.toFixed(1);
  card.dataset.errors = String(summary.errors);
  card.dataset.warnings = String(summary.warnings);
  const line = summaryLine(text);
  const clean = summary.errors + summary.warnings + summary.infos === 0 && summary.failures.length === 0;
  card.append(element('p', { class: clean ? 'summary clean' : 'summary' },
    clean ? `${line} —— 没有发现问题` : line, ` （用时 ${ms.toFixed(0)} 毫秒）`));
  for (const failure of summary.failures) {
    card.append(element('p', { class: 'failure' }, `无法检查：${failure.message}`));
  }
  if (summary.passed_over > 0) {
    card.dataset.failed = 'passed-over';
    card.append(element('p', { class: 'failure' },
      '这个文件不像政府信息公开工作年度报告（没有找到报告的标题或章节），没有检查。'));
  }
  for (const file of summary.not_checked_legacy_word ?? []) {
    card.append(element('p', { class: 'failure' }, `未检查 ${file}：旧版 Word（.doc）请先另存为 .docx`));
  }
  const actions = element('div', { class: 'actions' });
  const save = element('button', { type: 'button', 'data-format': 'json' }, '下载检查结果（JSON）');
  save.addEventListener('click', () => download(`${name}.nianbao.json`, json, 'application/json'));
  actions.append(save);
  if (is_data_file(name)) actions.append(...(renderButtons(card, name, bytes) ?? []));
  card.append(actions);
  const blocks = humanBlocks(text);
  const matched = blocks.length === report.diagnostics.length;
  report.diagnostics.forEach((diagnostic, i) => {
    const block = matched && blocks[i].code === diagnostic.code ? blocks[i] : null;
    card.append(findingNode(diagnostic, block));
  });
  return ms;
}

async function checkFiles(files) {
  if (document.body.dataset.state === 'loading' || document.body.dataset.state === 'broken') return;
  results.replaceChildren();
  setState('busy', `正在检查 ${files.length} 个文件……`);
  let total = 0;
  for (const { name, bytes } of files) {
    try {
      total += checkFile(name, bytes);
    } catch (error) {
      const card = fileCard(name);
      card.dataset.failed = 'error';
      card.append(element('p', { class: 'failure' }, `检查出错：${error.message ?? error}`));
    }
  }
  setState('done', `检查了 ${files.length} 个文件，用时 ${total.toFixed(0)} 毫秒。结果只在本页，没有上传。`);
}

async function readFiles(list) {
  const files = [];
  for (const file of list) files.push({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  return files;
}

// The bundled example: the example data file, and the Word report rendered from it.
function example() {
  const name = $('nianbao-example').dataset.name;
  const yaml = $('nianbao-example').textContent;
  const bytes = new TextEncoder().encode(yaml);
  const files = [{ name, bytes }];
  try {
    files.push({ name: `${stem(name)}.docx`, bytes: render(yaml, 'docx') });
  } catch (error) {
    setState('done', `无法生成示例报告：${error.message ?? error}`, true);
  }
  return files;
}

function wire() {
  const drop = $('drop');
  $('picker').addEventListener('change', async (event) => {
    await checkFiles(await readFiles(event.target.files));
    event.target.value = '';
  });
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    await checkFiles(await readFiles(event.dataTransfer.files));
  });
  $('example').addEventListener('click', () => checkFiles(example()));
}

async function main() {
  wire();
  try {
    await init({ module_or_path: await wasmBytes() });
  } catch (error) {
    setState('broken', `检查程序无法启动：${error.message ?? error}。请用较新的 Chrome、Edge 或 Firefox 打开本页。`, true);
    return;
  }
  setState('ready', '可以检查了：把报告拖进来，或选择文件。');
  if (location.hash === '#example') await checkFiles(example());
}

main();
