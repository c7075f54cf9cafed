import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __require = /* @__PURE__ */ ((x) => typeof require !== "undefined" ? require : typeof Proxy !== "undefined" ? new Proxy(x, {
  get: (a, b) => (typeof require !== "undefined" ? require : a)[b]
}) : x)(function(x) {
  if (typeof require !== "undefined") return require.apply(this, arguments);
  throw Error('Dynamic require of "' + x + '" is not supported');
});
var __commonJS = (cb, mod) => function __require2() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// shared/src/inputs.ts
function inputEnvName(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
function envInputSource(env = process.env) {
  return { get: (name) => env[inputEnvName(name)] };
}
var InputError = class extends Error {
  constructor(input, value, expected) {
    super(`Input "${input}" has value "${value}": expected ${expected}`);
    this.input = input;
    this.value = value;
    this.name = "InputError";
  }
  input;
  value;
};
function raw(source, name) {
  return (source.get(name) ?? "").trim();
}
function getString(source, name, options = {}) {
  const value = raw(source, name);
  if (value === "") {
    if (options.required) throw new InputError(name, value, "a value (this input is required)");
    return options.default ?? "";
  }
  return value;
}
var TRUE = ["true", "True", "TRUE"];
var FALSE = ["false", "False", "FALSE"];
function getBoolean(source, name, fallback = false) {
  const value = raw(source, name);
  if (value === "") return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, value, "true or false");
}
function getList(source, name) {
  return raw(source, name).split(/[\n,]/).map((item) => item.trim()).filter((item) => item !== "");
}
function getLines(source, name) {
  return raw(source, name).split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
}
function getKeyValues(source, name) {
  return getLines(source, name).map((line) => {
    const eq = line.indexOf("=");
    const key = eq === -1 ? "" : line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) {
      throw new InputError(name, line, "one KEY=VALUE per line (KEY: letters, digits, _ . -)");
    }
    return [key, line.slice(eq + 1)];
  });
}
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function parseDuration(text) {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1e3);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) return void 0;
  let total = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? "s"] ?? 1e3);
  }
  return Math.round(total);
}
function getDuration(source, name, options) {
  const value = raw(source, name);
  if (value === "") return options.default;
  const ms = parseDuration(value);
  const expected = "a duration such as 90s, 5m, 1h30m or a number of seconds";
  if (ms === void 0) throw new InputError(name, value, expected);
  if (options.min !== void 0 && ms < options.min) {
    throw new InputError(name, value, `${expected}, at least ${options.min / 1e3}s`);
  }
  if (options.max !== void 0 && ms > options.max) {
    throw new InputError(name, value, `${expected}, at most ${options.max / 1e3}s`);
  }
  return ms;
}

export {
  __require,
  __commonJS,
  __export,
  __toESM,
  envInputSource,
  InputError,
  getString,
  getBoolean,
  getList,
  getKeyValues,
  parseDuration,
  getDuration
};
