import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  MissingToolError,
  checkDockerEngine,
  createExec,
  createMarkerStore,
  createNotesApi,
  createToxiproxy,
  execChecked,
  inspectLifecycle,
  parseInspect
} from "./chunks/chunk-Y6TXIW2H.js";
import {
  InputError,
  __commonJS,
  __require,
  __toESM,
  createHttpClient,
  envInputSource,
  errorMessage,
  getBoolean,
  getDuration,
  getKeyValues,
  getList,
  getString,
  humanDuration,
  markdownTable,
  nonEmptyLines,
  parseDuration,
  systemClock
} from "./chunks/chunk-Q7A7O23Z.js";

// ../node_modules/tunnel/lib/tunnel.js
var require_tunnel = __commonJS({
  "../node_modules/tunnel/lib/tunnel.js"(exports) {
    "use strict";
    var net = __require("net");
    var tls = __require("tls");
    var http = __require("http");
    var https = __require("https");
    var events = __require("events");
    var assert = __require("assert");
    var util = __require("util");
    exports.httpOverHttp = httpOverHttp2;
    exports.httpsOverHttp = httpsOverHttp2;
    exports.httpOverHttps = httpOverHttps2;
    exports.httpsOverHttps = httpsOverHttps2;
    function httpOverHttp2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = http.request;
      return agent;
    }
    function httpsOverHttp2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = http.request;
      agent.createSocket = createSecureSocket;
      agent.defaultPort = 443;
      return agent;
    }
    function httpOverHttps2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = https.request;
      return agent;
    }
    function httpsOverHttps2(options) {
      var agent = new TunnelingAgent(options);
      agent.request = https.request;
      agent.createSocket = createSecureSocket;
      agent.defaultPort = 443;
      return agent;
    }
    function TunnelingAgent(options) {
      var self = this;
      self.options = options || {};
      self.proxyOptions = self.options.proxy || {};
      self.maxSockets = self.options.maxSockets || http.Agent.defaultMaxSockets;
      self.requests = [];
      self.sockets = [];
      self.on("free", function onFree(socket, host, port, localAddress) {
        var options2 = toOptions(host, port, localAddress);
        for (var i = 0, len = self.requests.length; i < len; ++i) {
          var pending = self.requests[i];
          if (pending.host === options2.host && pending.port === options2.port) {
            self.requests.splice(i, 1);
            pending.request.onSocket(socket);
            return;
          }
        }
        socket.destroy();
        self.removeSocket(socket);
      });
    }
    util.inherits(TunnelingAgent, events.EventEmitter);
    TunnelingAgent.prototype.addRequest = function addRequest(req, host, port, localAddress) {
      var self = this;
      var options = mergeOptions({ request: req }, self.options, toOptions(host, port, localAddress));
      if (self.sockets.length >= this.maxSockets) {
        self.requests.push(options);
        return;
      }
      self.createSocket(options, function(socket) {
        socket.on("free", onFree);
        socket.on("close", onCloseOrRemove);
        socket.on("agentRemove", onCloseOrRemove);
        req.onSocket(socket);
        function onFree() {
          self.emit("free", socket, options);
        }
        function onCloseOrRemove(err) {
          self.removeSocket(socket);
          socket.removeListener("free", onFree);
          socket.removeListener("close", onCloseOrRemove);
          socket.removeListener("agentRemove", onCloseOrRemove);
        }
      });
    };
    TunnelingAgent.prototype.createSocket = function createSocket(options, cb) {
      var self = this;
      var placeholder = {};
      self.sockets.push(placeholder);
      var connectOptions = mergeOptions({}, self.proxyOptions, {
        method: "CONNECT",
        path: options.host + ":" + options.port,
        agent: false,
        headers: {
          host: options.host + ":" + options.port
        }
      });
      if (options.localAddress) {
        connectOptions.localAddress = options.localAddress;
      }
      if (connectOptions.proxyAuth) {
        connectOptions.headers = connectOptions.headers || {};
        connectOptions.headers["Proxy-Authorization"] = "Basic " + new Buffer(connectOptions.proxyAuth).toString("base64");
      }
      debug2("making CONNECT request");
      var connectReq = self.request(connectOptions);
      connectReq.useChunkedEncodingByDefault = false;
      connectReq.once("response", onResponse);
      connectReq.once("upgrade", onUpgrade);
      connectReq.once("connect", onConnect);
      connectReq.once("error", onError);
      connectReq.end();
      function onResponse(res) {
        res.upgrade = true;
      }
      function onUpgrade(res, socket, head) {
        process.nextTick(function() {
          onConnect(res, socket, head);
        });
      }
      function onConnect(res, socket, head) {
        connectReq.removeAllListeners();
        socket.removeAllListeners();
        if (res.statusCode !== 200) {
          debug2(
            "tunneling socket could not be established, statusCode=%d",
            res.statusCode
          );
          socket.destroy();
          var error2 = new Error("tunneling socket could not be established, statusCode=" + res.statusCode);
          error2.code = "ECONNRESET";
          options.request.emit("error", error2);
          self.removeSocket(placeholder);
          return;
        }
        if (head.length > 0) {
          debug2("got illegal response body from proxy");
          socket.destroy();
          var error2 = new Error("got illegal response body from proxy");
          error2.code = "ECONNRESET";
          options.request.emit("error", error2);
          self.removeSocket(placeholder);
          return;
        }
        debug2("tunneling connection has established");
        self.sockets[self.sockets.indexOf(placeholder)] = socket;
        return cb(socket);
      }
      function onError(cause) {
        connectReq.removeAllListeners();
        debug2(
          "tunneling socket could not be established, cause=%s\n",
          cause.message,
          cause.stack
        );
        var error2 = new Error("tunneling socket could not be established, cause=" + cause.message);
        error2.code = "ECONNRESET";
        options.request.emit("error", error2);
        self.removeSocket(placeholder);
      }
    };
    TunnelingAgent.prototype.removeSocket = function removeSocket(socket) {
      var pos = this.sockets.indexOf(socket);
      if (pos === -1) {
        return;
      }
      this.sockets.splice(pos, 1);
      var pending = this.requests.shift();
      if (pending) {
        this.createSocket(pending, function(socket2) {
          pending.request.onSocket(socket2);
        });
      }
    };
    function createSecureSocket(options, cb) {
      var self = this;
      TunnelingAgent.prototype.createSocket.call(self, options, function(socket) {
        var hostHeader = options.request.getHeader("host");
        var tlsOptions = mergeOptions({}, self.options, {
          socket,
          servername: hostHeader ? hostHeader.replace(/:.*$/, "") : options.host
        });
        var secureSocket = tls.connect(0, tlsOptions);
        self.sockets[self.sockets.indexOf(socket)] = secureSocket;
        cb(secureSocket);
      });
    }
    function toOptions(host, port, localAddress) {
      if (typeof host === "string") {
        return {
          host,
          port,
          localAddress
        };
      }
      return host;
    }
    function mergeOptions(target) {
      for (var i = 1, len = arguments.length; i < len; ++i) {
        var overrides2 = arguments[i];
        if (typeof overrides2 === "object") {
          var keys = Object.keys(overrides2);
          for (var j = 0, keyLen = keys.length; j < keyLen; ++j) {
            var k = keys[j];
            if (overrides2[k] !== void 0) {
              target[k] = overrides2[k];
            }
          }
        }
      }
      return target;
    }
    var debug2;
    if (process.env.NODE_DEBUG && /\btunnel\b/.test(process.env.NODE_DEBUG)) {
      debug2 = function() {
        var args = Array.prototype.slice.call(arguments);
        if (typeof args[0] === "string") {
          args[0] = "TUNNEL: " + args[0];
        } else {
          args.unshift("TUNNEL:");
        }
        console.error.apply(console, args);
      };
    } else {
      debug2 = function() {
      };
    }
    exports.debug = debug2;
  }
});

// ../node_modules/tunnel/index.js
var require_tunnel2 = __commonJS({
  "../node_modules/tunnel/index.js"(exports, module) {
    module.exports = require_tunnel();
  }
});

// chaos-drill/src/main.ts
import { join as join2 } from "node:path";

// ../node_modules/@actions/core/lib/command.js
import * as os from "os";

// ../node_modules/@actions/core/lib/utils.js
function toCommandValue(input) {
  if (input === null || input === void 0) {
    return "";
  } else if (typeof input === "string" || input instanceof String) {
    return input;
  }
  return JSON.stringify(input);
}
function toCommandProperties(annotationProperties) {
  if (!Object.keys(annotationProperties).length) {
    return {};
  }
  return {
    title: annotationProperties.title,
    file: annotationProperties.file,
    line: annotationProperties.startLine,
    endLine: annotationProperties.endLine,
    col: annotationProperties.startColumn,
    endColumn: annotationProperties.endColumn
  };
}

// ../node_modules/@actions/core/lib/command.js
function issueCommand(command, properties, message) {
  const cmd = new Command(command, properties, message);
  process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = "") {
  issueCommand(name, {}, message);
}
var CMD_STRING = "::";
var Command = class {
  constructor(command, properties, message) {
    if (!command) {
      command = "missing.command";
    }
    this.command = command;
    this.properties = properties;
    this.message = message;
  }
  toString() {
    let cmdStr = CMD_STRING + this.command;
    if (this.properties && Object.keys(this.properties).length > 0) {
      cmdStr += " ";
      let first = true;
      for (const key in this.properties) {
        if (this.properties.hasOwnProperty(key)) {
          const val = this.properties[key];
          if (val) {
            if (first) {
              first = false;
            } else {
              cmdStr += ",";
            }
            cmdStr += `${key}=${escapeProperty(val)}`;
          }
        }
      }
    }
    cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
    return cmdStr;
  }
};
function escapeData(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}
function escapeProperty(s) {
  return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
}

// ../node_modules/@actions/core/lib/file-command.js
import * as crypto from "crypto";
import * as fs from "fs";
import * as os2 from "os";
function issueFileCommand(command, message) {
  const filePath = process.env[`GITHUB_${command}`];
  if (!filePath) {
    throw new Error(`Unable to find environment variable for file command ${command}`);
  }
  if (!fs.existsSync(filePath)) {
    throw new Error(`Missing file at path: ${filePath}`);
  }
  fs.appendFileSync(filePath, `${toCommandValue(message)}${os2.EOL}`, {
    encoding: "utf8"
  });
}
function prepareKeyValueMessage(key, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  const convertedValue = toCommandValue(value);
  if (key.includes(delimiter)) {
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
  }
  if (convertedValue.includes(delimiter)) {
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
  }
  return `${key}<<${delimiter}${os2.EOL}${convertedValue}${os2.EOL}${delimiter}`;
}

// ../node_modules/@actions/core/lib/core.js
import * as os4 from "os";

// ../node_modules/@actions/http-client/lib/index.js
var tunnel = __toESM(require_tunnel2(), 1);
var HttpCodes;
(function(HttpCodes2) {
  HttpCodes2[HttpCodes2["OK"] = 200] = "OK";
  HttpCodes2[HttpCodes2["MultipleChoices"] = 300] = "MultipleChoices";
  HttpCodes2[HttpCodes2["MovedPermanently"] = 301] = "MovedPermanently";
  HttpCodes2[HttpCodes2["ResourceMoved"] = 302] = "ResourceMoved";
  HttpCodes2[HttpCodes2["SeeOther"] = 303] = "SeeOther";
  HttpCodes2[HttpCodes2["NotModified"] = 304] = "NotModified";
  HttpCodes2[HttpCodes2["UseProxy"] = 305] = "UseProxy";
  HttpCodes2[HttpCodes2["SwitchProxy"] = 306] = "SwitchProxy";
  HttpCodes2[HttpCodes2["TemporaryRedirect"] = 307] = "TemporaryRedirect";
  HttpCodes2[HttpCodes2["PermanentRedirect"] = 308] = "PermanentRedirect";
  HttpCodes2[HttpCodes2["BadRequest"] = 400] = "BadRequest";
  HttpCodes2[HttpCodes2["Unauthorized"] = 401] = "Unauthorized";
  HttpCodes2[HttpCodes2["PaymentRequired"] = 402] = "PaymentRequired";
  HttpCodes2[HttpCodes2["Forbidden"] = 403] = "Forbidden";
  HttpCodes2[HttpCodes2["NotFound"] = 404] = "NotFound";
  HttpCodes2[HttpCodes2["MethodNotAllowed"] = 405] = "MethodNotAllowed";
  HttpCodes2[HttpCodes2["NotAcceptable"] = 406] = "NotAcceptable";
  HttpCodes2[HttpCodes2["ProxyAuthenticationRequired"] = 407] = "ProxyAuthenticationRequired";
  HttpCodes2[HttpCodes2["RequestTimeout"] = 408] = "RequestTimeout";
  HttpCodes2[HttpCodes2["Conflict"] = 409] = "Conflict";
  HttpCodes2[HttpCodes2["Gone"] = 410] = "Gone";
  HttpCodes2[HttpCodes2["TooManyRequests"] = 429] = "TooManyRequests";
  HttpCodes2[HttpCodes2["InternalServerError"] = 500] = "InternalServerError";
  HttpCodes2[HttpCodes2["NotImplemented"] = 501] = "NotImplemented";
  HttpCodes2[HttpCodes2["BadGateway"] = 502] = "BadGateway";
  HttpCodes2[HttpCodes2["ServiceUnavailable"] = 503] = "ServiceUnavailable";
  HttpCodes2[HttpCodes2["GatewayTimeout"] = 504] = "GatewayTimeout";
})(HttpCodes || (HttpCodes = {}));
var Headers;
(function(Headers2) {
  Headers2["Accept"] = "accept";
  Headers2["ContentType"] = "content-type";
})(Headers || (Headers = {}));
var MediaTypes;
(function(MediaTypes2) {
  MediaTypes2["ApplicationJson"] = "application/json";
})(MediaTypes || (MediaTypes = {}));
var HttpRedirectCodes = [
  HttpCodes.MovedPermanently,
  HttpCodes.ResourceMoved,
  HttpCodes.SeeOther,
  HttpCodes.TemporaryRedirect,
  HttpCodes.PermanentRedirect
];
var HttpResponseRetryCodes = [
  HttpCodes.BadGateway,
  HttpCodes.ServiceUnavailable,
  HttpCodes.GatewayTimeout
];

// ../node_modules/@actions/core/lib/summary.js
import { EOL as EOL3 } from "os";
import { constants, promises } from "fs";
var __awaiter = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve3) {
      resolve3(value);
    });
  }
  return new (P || (P = Promise))(function(resolve3, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve3(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var { access, appendFile, writeFile } = promises;
var SUMMARY_ENV_VAR = "GITHUB_STEP_SUMMARY";
var Summary = class {
  constructor() {
    this._buffer = "";
  }
  /**
   * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
   * Also checks r/w permissions.
   *
   * @returns step summary file path
   */
  filePath() {
    return __awaiter(this, void 0, void 0, function* () {
      if (this._filePath) {
        return this._filePath;
      }
      const pathFromEnv = process.env[SUMMARY_ENV_VAR];
      if (!pathFromEnv) {
        throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
      }
      try {
        yield access(pathFromEnv, constants.R_OK | constants.W_OK);
      } catch (_a) {
        throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
      }
      this._filePath = pathFromEnv;
      return this._filePath;
    });
  }
  /**
   * Wraps content in an HTML tag, adding any HTML attributes
   *
   * @param {string} tag HTML tag to wrap
   * @param {string | null} content content within the tag
   * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
   *
   * @returns {string} content wrapped in HTML element
   */
  wrap(tag, content, attrs = {}) {
    const htmlAttrs = Object.entries(attrs).map(([key, value]) => ` ${key}="${value}"`).join("");
    if (!content) {
      return `<${tag}${htmlAttrs}>`;
    }
    return `<${tag}${htmlAttrs}>${content}</${tag}>`;
  }
  /**
   * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
   *
   * @param {SummaryWriteOptions} [options] (optional) options for write operation
   *
   * @returns {Promise<Summary>} summary instance
   */
  write(options) {
    return __awaiter(this, void 0, void 0, function* () {
      const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
      const filePath = yield this.filePath();
      const writeFunc = overwrite ? writeFile : appendFile;
      yield writeFunc(filePath, this._buffer, { encoding: "utf8" });
      return this.emptyBuffer();
    });
  }
  /**
   * Clears the summary buffer and wipes the summary file
   *
   * @returns {Summary} summary instance
   */
  clear() {
    return __awaiter(this, void 0, void 0, function* () {
      return this.emptyBuffer().write({ overwrite: true });
    });
  }
  /**
   * Returns the current summary buffer as a string
   *
   * @returns {string} string of summary buffer
   */
  stringify() {
    return this._buffer;
  }
  /**
   * If the summary buffer is empty
   *
   * @returns {boolen} true if the buffer is empty
   */
  isEmptyBuffer() {
    return this._buffer.length === 0;
  }
  /**
   * Resets the summary buffer without writing to summary file
   *
   * @returns {Summary} summary instance
   */
  emptyBuffer() {
    this._buffer = "";
    return this;
  }
  /**
   * Adds raw text to the summary buffer
   *
   * @param {string} text content to add
   * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
   *
   * @returns {Summary} summary instance
   */
  addRaw(text, addEOL = false) {
    this._buffer += text;
    return addEOL ? this.addEOL() : this;
  }
  /**
   * Adds the operating system-specific end-of-line marker to the buffer
   *
   * @returns {Summary} summary instance
   */
  addEOL() {
    return this.addRaw(EOL3);
  }
  /**
   * Adds an HTML codeblock to the summary buffer
   *
   * @param {string} code content to render within fenced code block
   * @param {string} lang (optional) language to syntax highlight code
   *
   * @returns {Summary} summary instance
   */
  addCodeBlock(code, lang) {
    const attrs = Object.assign({}, lang && { lang });
    const element = this.wrap("pre", this.wrap("code", code), attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML list to the summary buffer
   *
   * @param {string[]} items list of items to render
   * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
   *
   * @returns {Summary} summary instance
   */
  addList(items, ordered = false) {
    const tag = ordered ? "ol" : "ul";
    const listItems = items.map((item) => this.wrap("li", item)).join("");
    const element = this.wrap(tag, listItems);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML table to the summary buffer
   *
   * @param {SummaryTableCell[]} rows table rows
   *
   * @returns {Summary} summary instance
   */
  addTable(rows) {
    const tableBody = rows.map((row) => {
      const cells = row.map((cell) => {
        if (typeof cell === "string") {
          return this.wrap("td", cell);
        }
        const { header, data, colspan, rowspan } = cell;
        const tag = header ? "th" : "td";
        const attrs = Object.assign(Object.assign({}, colspan && { colspan }), rowspan && { rowspan });
        return this.wrap(tag, data, attrs);
      }).join("");
      return this.wrap("tr", cells);
    }).join("");
    const element = this.wrap("table", tableBody);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds a collapsable HTML details element to the summary buffer
   *
   * @param {string} label text for the closed state
   * @param {string} content collapsable content
   *
   * @returns {Summary} summary instance
   */
  addDetails(label, content) {
    const element = this.wrap("details", this.wrap("summary", label) + content);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML image tag to the summary buffer
   *
   * @param {string} src path to the image you to embed
   * @param {string} alt text description of the image
   * @param {SummaryImageOptions} options (optional) addition image attributes
   *
   * @returns {Summary} summary instance
   */
  addImage(src, alt, options) {
    const { width, height } = options || {};
    const attrs = Object.assign(Object.assign({}, width && { width }), height && { height });
    const element = this.wrap("img", null, Object.assign({ src, alt }, attrs));
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML section heading element
   *
   * @param {string} text heading text
   * @param {number | string} [level=1] (optional) the heading level, default: 1
   *
   * @returns {Summary} summary instance
   */
  addHeading(text, level) {
    const tag = `h${level}`;
    const allowedTag = ["h1", "h2", "h3", "h4", "h5", "h6"].includes(tag) ? tag : "h1";
    const element = this.wrap(allowedTag, text);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML thematic break (<hr>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addSeparator() {
    const element = this.wrap("hr", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML line break (<br>) to the summary buffer
   *
   * @returns {Summary} summary instance
   */
  addBreak() {
    const element = this.wrap("br", null);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML blockquote to the summary buffer
   *
   * @param {string} text quote text
   * @param {string} cite (optional) citation url
   *
   * @returns {Summary} summary instance
   */
  addQuote(text, cite) {
    const attrs = Object.assign({}, cite && { cite });
    const element = this.wrap("blockquote", text, attrs);
    return this.addRaw(element).addEOL();
  }
  /**
   * Adds an HTML anchor tag to the summary buffer
   *
   * @param {string} text link text/content
   * @param {string} href hyperlink
   *
   * @returns {Summary} summary instance
   */
  addLink(text, href) {
    const element = this.wrap("a", text, { href });
    return this.addRaw(element).addEOL();
  }
};
var _summary = new Summary();
var summary = _summary;

// ../node_modules/@actions/core/lib/platform.js
import os3 from "os";
var platform = os3.platform();
var arch = os3.arch();

// ../node_modules/@actions/core/lib/core.js
var __awaiter2 = function(thisArg, _arguments, P, generator) {
  function adopt(value) {
    return value instanceof P ? value : new P(function(resolve3) {
      resolve3(value);
    });
  }
  return new (P || (P = Promise))(function(resolve3, reject) {
    function fulfilled(value) {
      try {
        step(generator.next(value));
      } catch (e) {
        reject(e);
      }
    }
    function rejected(value) {
      try {
        step(generator["throw"](value));
      } catch (e) {
        reject(e);
      }
    }
    function step(result) {
      result.done ? resolve3(result.value) : adopt(result.value).then(fulfilled, rejected);
    }
    step((generator = generator.apply(thisArg, _arguments || [])).next());
  });
};
var ExitCode;
(function(ExitCode2) {
  ExitCode2[ExitCode2["Success"] = 0] = "Success";
  ExitCode2[ExitCode2["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
function setOutput(name, value) {
  const filePath = process.env["GITHUB_OUTPUT"] || "";
  if (filePath) {
    return issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
  }
  process.stdout.write(os4.EOL);
  issueCommand("set-output", { name }, toCommandValue(value));
}
function setFailed(message) {
  process.exitCode = ExitCode.Failure;
  error(message);
}
function error(message, properties = {}) {
  issueCommand("error", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function warning(message, properties = {}) {
  issueCommand("warning", toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
function info(message) {
  process.stdout.write(message + os4.EOL);
}
function startGroup(name) {
  issue("group", name);
}
function endGroup() {
  issue("endgroup");
}
function group(name, fn) {
  return __awaiter2(this, void 0, void 0, function* () {
    startGroup(name);
    let result;
    try {
      result = yield fn();
    } finally {
      endGroup();
    }
    return result;
  });
}

// chaos-drill/src/inputs.ts
import { isAbsolute as isAbsolute2, resolve } from "node:path";

// chaos-drill/src/setup.ts
import { readFile, stat } from "node:fs/promises";
import { basename, dirname, isAbsolute, relative } from "node:path";

// shared/src/compose.ts
var COMPOSE_V2 = Object.freeze({
  version: "v2",
  command: "docker",
  prefix: Object.freeze(["compose"])
});
var COMPOSE_V1 = Object.freeze({
  version: "v1",
  command: "docker-compose",
  prefix: Object.freeze([])
});
async function tryVersion(exec, command, args) {
  try {
    const result = await exec(command, args, { silent: true });
    return result.exitCode === 0 ? result.stdout.trim().replace(/^v/, "") : void 0;
  } catch (error2) {
    if (error2 instanceof MissingToolError) return void 0;
    throw error2;
  }
}
async function detectCompose(exec) {
  const v2 = await tryVersion(exec, "docker", ["compose", "version", "--short"]);
  if (v2) return { ...COMPOSE_V2, release: v2 };
  const v1 = await tryVersion(exec, "docker-compose", ["version", "--short"]);
  if (v1) return { ...COMPOSE_V1, release: v1 };
  throw new Error(
    "Docker Compose is not available: neither `docker compose` (v2 plugin) nor `docker-compose` (v1) runs on this machine"
  );
}
function composeGlobalArgs(project) {
  const args = [];
  for (const file of project.files) args.push("--file", file);
  args.push("--project-name", project.projectName);
  if (project.projectDirectory) args.push("--project-directory", project.projectDirectory);
  if (project.envFile) args.push("--env-file", project.envFile);
  for (const profile of project.profiles ?? []) args.push("--profile", profile);
  return args;
}
function upArgs(flavor, options = {}) {
  const args = ["up", "--detach", "--remove-orphans"];
  if (options.build) args.push("--build");
  if (options.wait && flavor.version === "v2") {
    args.push("--wait");
    if (options.waitTimeoutSeconds !== void 0) {
      args.push("--wait-timeout", String(Math.max(1, Math.ceil(options.waitTimeoutSeconds))));
    }
  }
  args.push(...options.services ?? []);
  return args;
}
function downArgs(options = {}) {
  const args = ["down"];
  if (options.volumes) args.push("--volumes");
  if (options.removeOrphans) args.push("--remove-orphans");
  if (options.timeoutSeconds !== void 0) args.push("--timeout", String(options.timeoutSeconds));
  return args;
}
function psArgs(options = {}) {
  return options.quiet ? ["ps", "--all", "--quiet"] : ["ps", "--all"];
}
function logsArgs(options = {}) {
  const args = ["logs", "--no-color", "--timestamps"];
  if (options.tail !== void 0) args.push("--tail", String(options.tail));
  args.push(...options.services ?? []);
  return args;
}
function buildArgs(services = []) {
  return ["build", ...services];
}
function configArgs(options = {}) {
  return options.services ? ["config", "--services"] : ["config"];
}
function composeCommand(flavor, project, subcommand) {
  return {
    command: flavor.command,
    args: [...flavor.prefix, ...composeGlobalArgs(project), ...subcommand]
  };
}
async function createCompose(project, deps = { exec: createExec() }) {
  if (project.files.length === 0) throw new Error("createCompose needs at least one compose file");
  const flavor = deps.flavor ?? await detectCompose(deps.exec);
  const options = { cwd: project.projectDirectory, env: project.env };
  const run2 = (sub, silent = false) => {
    const { command, args } = composeCommand(flavor, project, sub);
    return deps.exec(command, args, { ...options, silent });
  };
  const query = async (sub) => {
    const { command, args } = composeCommand(flavor, project, sub);
    return (await execChecked(deps.exec, command, args, { ...options, silent: true })).stdout;
  };
  return Object.freeze({
    flavor,
    project,
    build: (services) => run2(buildArgs(services)),
    up: (up) => run2(upArgs(flavor, up)),
    ps: () => query(psArgs()),
    containerIds: async () => nonEmptyLines(await query(psArgs({ quiet: true }))),
    logs: (logs) => query(logsArgs(logs)),
    down: (down) => run2(downArgs(down)),
    config: () => query(configArgs()),
    services: async () => nonEmptyLines(await query(configArgs({ services: true }))),
    containers: async () => {
      const ids = nonEmptyLines(await query(psArgs({ quiet: true })));
      if (ids.length === 0) return [];
      const inspect = await execChecked(deps.exec, "docker", ["inspect", ...ids], { silent: true });
      return parseInspect(inspect.stdout);
    }
  });
}

// shared/src/compose-service.ts
function serviceActionArgs(action, service, options = {}) {
  const timeout = options.timeoutSeconds !== void 0 ? ["--timeout", String(options.timeoutSeconds)] : [];
  switch (action) {
    case "kill":
      return ["kill", "-s", options.signal ?? "SIGKILL", service];
    case "stop":
      return ["stop", ...timeout, service];
    case "restart":
      return ["restart", ...timeout, service];
    case "pause":
    case "unpause":
    case "start":
      return [action, service];
    case "up":
      return ["up", "--detach", "--no-deps", service];
  }
}
function createServiceControl(compose, exec) {
  const options = { cwd: compose.project.projectDirectory, env: compose.project.env };
  return Object.freeze({
    compose,
    act: (action, service, actionOptions) => {
      const { command, args } = composeCommand(
        compose.flavor,
        compose.project,
        serviceActionArgs(action, service, actionOptions)
      );
      return execChecked(exec, command, args, { ...options, silent: true });
    },
    containersOf: async (service) => {
      const { command, args } = composeCommand(compose.flavor, compose.project, [
        "ps",
        "--all",
        "--quiet",
        service
      ]);
      const ids = nonEmptyLines(
        (await execChecked(exec, command, args, { ...options, silent: true })).stdout
      );
      if (ids.length === 0) return [];
      const inspect = await execChecked(exec, "docker", ["inspect", ...ids], { silent: true });
      return parseInspect(inspect.stdout);
    },
    finishedAt: async (containerId) => {
      const result = await exec("docker", ["inspect", "-f", "{{.State.FinishedAt}}", containerId], {
        silent: true
      });
      return parseFinishedAt(result.exitCode === 0 ? result.stdout : "");
    },
    publishedUrl: async (service, containerPort) => {
      const { command, args } = composeCommand(compose.flavor, compose.project, [
        "port",
        service,
        String(containerPort)
      ]);
      const result = await execChecked(exec, command, args, { ...options, silent: true });
      const url2 = publishedUrl(result.stdout);
      if (!url2) {
        throw new Error(
          `${service}:${containerPort} is not published (compose port printed "${result.stdout.trim()}")`
        );
      }
      return url2;
    }
  });
}
function parseFinishedAt(text) {
  const value = text.trim();
  if (value === "" || value.startsWith("0001-")) return void 0;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? void 0 : date;
}
function publishedUrl(output) {
  const line = output.trim().split(/\r?\n/)[0] ?? "";
  const match = /^(.*):(\d+)$/.exec(line);
  if (!match || match[2] === "0") return void 0;
  const host = match[1] === "0.0.0.0" || match[1] === "[::]" || match[1] === "" ? "127.0.0.1" : match[1];
  return `http://${host}:${match[2]}`;
}

// shared/src/prometheus.ts
function parseEnvelope(text) {
  try {
    return JSON.parse(text);
  } catch {
    return void 0;
  }
}
function apiData(who, path, response, text) {
  const body = parseEnvelope(text);
  if (body?.status === "error") {
    throw new Error(
      `${who} returned an error for ${path}: ${body.errorType ?? "error"}: ${body.error ?? text}`
    );
  }
  if (!response.ok) {
    throw new Error(`${who} answered HTTP ${response.status} for ${path}: ${text.slice(0, 200)}`);
  }
  if (body?.status !== "success") {
    throw new Error(`${who} sent an unexpected body for ${path}: ${text.slice(0, 200)}`);
  }
  return body.data;
}
function createPrometheus(baseUrl, deps = {}) {
  let parsed;
  try {
    parsed = new URL(baseUrl);
  } catch {
    throw new Error(`Prometheus URL "${baseUrl}" is not a valid URL`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new Error(`Prometheus URL "${baseUrl}" must be http:// or https://`);
  }
  const root = baseUrl.replace(/\/+$/, "");
  const doFetch = deps.fetch ?? fetch;
  const clock = deps.clock ?? systemClock;
  const requestTimeoutMs = deps.requestTimeoutMs ?? 1e4;
  async function api(path, params = {}) {
    const query = new URLSearchParams(params).toString();
    const url2 = `${root}${path}${query ? `?${query}` : ""}`;
    let response;
    try {
      response = await doFetch(url2, { signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch (error2) {
      const cause = error2.cause;
      const reason = cause ? errorMessage(cause) : errorMessage(error2);
      throw new Error(`Prometheus at ${root} is unreachable (${path}): ${reason}`);
    }
    return apiData(`Prometheus at ${root}`, path, response, await response.text());
  }
  const targetsJson = () => api("/api/v1/targets", { state: "active" });
  return Object.freeze({
    baseUrl: root,
    query: async (expr, time) => await api("/api/v1/query", {
      query: expr,
      ...time ? { time: String(time.getTime() / 1e3) } : {}
    }),
    queryRange: async (expr, start, end, stepSeconds) => await api("/api/v1/query_range", {
      query: expr,
      start: String(start.getTime() / 1e3),
      end: String(end.getTime() / 1e3),
      step: String(stepSeconds)
    }),
    targetsJson,
    targets: async () => {
      const data = await targetsJson();
      return data.activeTargets ?? [];
    },
    alerts: async () => {
      const data = await api("/api/v1/alerts");
      return data.alerts ?? [];
    },
    waitUntil: async (check, options) => {
      const interval = options.intervalMs ?? 1e3;
      const deadline = clock.now() + options.timeoutMs;
      let last = "not checked yet";
      for (; ; ) {
        try {
          const outcome = await check();
          if (outcome === true) return;
          last = outcome;
        } catch (error2) {
          last = errorMessage(error2);
        }
        if (clock.now() + interval > deadline) break;
        await clock.sleep(interval);
      }
      throw new Error(
        `Timed out after ${options.timeoutMs} ms waiting on Prometheus at ${root}: ${last}`
      );
    }
  });
}

// chaos-drill/src/docker-ops.ts
function parseContainerFacts(json) {
  const [c] = JSON.parse(json);
  if (!c) throw new Error("docker inspect returned no container");
  const networks = {};
  for (const [name, n] of Object.entries(c.NetworkSettings?.Networks ?? {}))
    networks[name] = { aliases: [...n.Aliases ?? []] };
  return {
    id: c.Id ?? "",
    name: (c.Name ?? "").replace(/^\//, ""),
    networks,
    cpuQuota: c.HostConfig?.CpuQuota ?? 0,
    cpuPeriod: c.HostConfig?.CpuPeriod ?? 0,
    memory: c.HostConfig?.Memory ?? 0,
    memorySwap: c.HostConfig?.MemorySwap ?? 0,
    oomKilled: c.State?.OOMKilled === true,
    restartCount: c.RestartCount ?? 0,
    status: c.State?.Status ?? "unknown"
  };
}
function createDockerOps(exec) {
  const run2 = (args) => execChecked(exec, "docker", args, { silent: true });
  return Object.freeze({
    inspect: async (container) => parseContainerFacts((await run2(["inspect", container])).stdout),
    update: async (container, flags) => {
      await run2(["update", ...flags, container]);
    },
    disconnect: async (network, container) => {
      await run2(["network", "disconnect", network, container]);
    },
    connect: async (network, container, aliases) => {
      await run2([
        "network",
        "connect",
        ...aliases.flatMap((a) => ["--alias", a]),
        network,
        container
      ]);
    }
  });
}

// chaos-drill/src/setup.ts
var PUBLISHED = Object.freeze({
  frontend: ["frontend", 8080],
  backend: ["backend", 5e3],
  prometheus: ["prometheus", 9090]
});
function composeDefaultProjectName(projectDirectory) {
  return basename(projectDirectory).toLowerCase().replace(/[^a-z0-9_-]/g, "").replace(/^[^a-z0-9]+/, "");
}
function defaultProjectName(env, projectDirectory) {
  if (env.COMPOSE_PROJECT_NAME) return env.COMPOSE_PROJECT_NAME;
  if (env.GITHUB_ACTIONS === "true" && env.GITHUB_RUN_ID) {
    return `stack-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT || "1"}`;
  }
  return composeDefaultProjectName(projectDirectory);
}
var MAX_EXPERIMENT_BYTES = 1024 * 1024;
async function loadExperiment(file, overrides2) {
  let text;
  try {
    const info2 = await stat(file);
    if (!info2.isFile()) throw new Error("it is not a regular file");
    if (info2.size > MAX_EXPERIMENT_BYTES)
      throw new Error(
        `it has ${info2.size} bytes; an experiment is a YAML file of at most ${MAX_EXPERIMENT_BYTES}`
      );
    text = await readFile(file, "utf8");
  } catch (error2) {
    throw new Error(`Experiment file ${file} cannot be read: ${errorMessage(error2)}`);
  }
  const { parseExperiment, withBounds } = await import("./chunks/experiment-VIDEMUEQ.js");
  const shown = relative(process.cwd(), file);
  return withBounds(
    parseExperiment(text, shown.startsWith("..") || isAbsolute(shown) ? file : shown),
    overrides2
  );
}
async function prepareDrill(settings, runtime) {
  const experiment = await loadExperiment(settings.experimentFile, settings.overrides);
  return { experiment, deps: await prepareDeps(settings, runtime) };
}
async function prepareDeps(settings, runtime) {
  const compose = await createCompose(
    {
      files: settings.composeFiles,
      projectName: settings.projectName,
      projectDirectory: dirname(settings.composeFiles[0]),
      ...runtime.composeEnv ? { env: runtime.composeEnv } : {}
    },
    { exec: runtime.exec }
  );
  const control = createServiceControl(compose, runtime.exec);
  const targets = async (name) => {
    const fixed = settings.urls[name];
    if (fixed) return fixed.replace(/\/+$/, "");
    const [service, port] = PUBLISHED[name];
    return control.publishedUrl(service, port);
  };
  let prometheusUrl;
  try {
    prometheusUrl = await targets("prometheus");
  } catch (error2) {
    throw new Error(`Cannot find Prometheus: no URL given and ${errorMessage(error2)}`);
  }
  const fetchOption = runtime.fetch ? { fetch: runtime.fetch } : {};
  return {
    prometheus: createPrometheus(prometheusUrl, {
      clock: runtime.clock,
      requestTimeoutMs: 5e3,
      ...fetchOption
    }),
    http: createHttpClient({ clock: runtime.clock, ...fetchOption }),
    notes: (url2) => createNotesApi(url2, { clock: runtime.clock, ...fetchOption }),
    lifecycle: async (service) => inspectLifecycle(
      runtime.exec,
      (await control.containersOf(service)).map((c) => c.id)
    ),
    control,
    docker: createDockerOps(runtime.exec),
    toxiproxy: (url2) => createToxiproxy(url2, runtime.fetch),
    ...settings.stateDir ? { markers: createMarkerStore(settings.stateDir) } : {},
    clock: runtime.clock,
    // Prometheus is resolved once (it is not the fault's target); the others per use.
    targets: async (name) => name === "prometheus" ? prometheusUrl : targets(name),
    ...runtime.log ? { log: runtime.log } : {},
    ...runtime.signal ? { signal: runtime.signal } : {}
  };
}
function abortOnSignals(controller, log, processLike = process) {
  const handler = (signal) => {
    if (controller.signal.aborted) {
      log(`${signal} again: still recovering the stack, then exiting`);
      return;
    }
    log(`${signal}: stopping the drill; the recovery runs before exit`);
    controller.abort(signal);
  };
  processLike.on("SIGINT", handler);
  processLike.on("SIGTERM", handler);
  return () => {
    processLike.off("SIGINT", handler);
    processLike.off("SIGTERM", handler);
  };
}

// chaos-drill/src/inputs.ts
var PROJECT = /^[a-z0-9][a-z0-9_-]*$/;
function url(source, name) {
  const value = getString(source, name);
  if (value === "") return void 0;
  if (!/^https?:\/\/[^\s/]+/.test(value))
    throw new InputError(
      name,
      value,
      "an http:// or https:// URL, or empty for the published port"
    );
  return value.replace(/\/+$/, "");
}
function projectName(source, env, workingDirectory) {
  const name = getString(source, "project-name") || defaultProjectName(env, workingDirectory);
  if (!PROJECT.test(name)) {
    throw new InputError(
      "project-name",
      name,
      "lower-case letters, digits, - and _, starting with a letter or digit"
    );
  }
  return name;
}
function bound(source, name) {
  return getString(source, name) === "" ? void 0 : getDuration(source, name, { default: 0, min: 1, max: 6e5 });
}
function boundsByName(source) {
  const byName = {};
  for (const [key, value] of getKeyValues(source, "bounds")) {
    const ms = parseDuration(value);
    if (ms === void 0 || ms < 1)
      throw new InputError(
        "bounds",
        `${key}=${value}`,
        "expectation-name=duration, e.g. alert-firing=30s"
      );
    byName[key] = ms;
  }
  return Object.freeze(byName);
}
function writerRate(source) {
  const text = getString(source, "writer-rate");
  if (text === "") return void 0;
  const rate = Number(text);
  if (!(Number.isFinite(rate) && rate > 0 && rate <= 50))
    throw new InputError("writer-rate", text, "notes per second, more than 0 and at most 50");
  return rate;
}
function targetUrls(source) {
  const urls = {};
  for (const target of ["prometheus", "frontend", "backend"]) {
    const value = url(source, `${target}-url`);
    if (value) urls[target] = value;
  }
  return Object.freeze(urls);
}
function overrides(source) {
  const byName = boundsByName(source);
  const rate = writerRate(source);
  const ttd = bound(source, "max-time-to-detect");
  const ttr = bound(source, "max-time-to-recover");
  return Object.freeze({
    ...ttd !== void 0 ? { timeToDetectMs: ttd } : {},
    ...ttr !== void 0 ? { timeToRecoverMs: ttr } : {},
    ...rate !== void 0 ? { writerRate: rate } : {},
    byName
  });
}
function readInputs(source, env, workspace) {
  const workingDirectory = resolve(
    workspace,
    getString(source, "working-directory", { default: "." })
  );
  const abs = (p) => isAbsolute2(p) ? p : resolve(workingDirectory, p);
  const files = getList(source, "compose-file").map(abs);
  if (files.length === 0) throw new InputError("compose-file", "", "at least one compose file");
  const project = projectName(source, env, workingDirectory);
  const bounds = overrides(source);
  return Object.freeze({
    experiment: abs(
      getString(source, "experiment", { default: "observability/drills/kill-backend.yml" })
    ),
    composeFiles: Object.freeze(files),
    projectName: project,
    urls: targetUrls(source),
    overrides: bounds,
    reportsDir: abs(getString(source, "reports-dir", { default: "reports/drills" })),
    junit: getBoolean(source, "junit", true)
  });
}

// chaos-drill/src/output.ts
import { join } from "node:path";

// shared/src/reports.ts
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, writeFile as writeFile2 } from "node:fs/promises";
import { dirname as dirname2, isAbsolute as isAbsolute3, relative as relative2, resolve as resolve2 } from "node:path";
var WRITE_SIZE = 65536;
var isHighSurrogate = (code) => code >= 55296 && code <= 56319;
async function writeChunks(path, chunks) {
  const handle = await open(path, "w");
  let writing = Promise.resolve();
  try {
    const writeAll = async (bytes) => {
      for (let offset = 0; offset < bytes.length; ) {
        offset += (await handle.write(bytes, offset)).bytesWritten;
      }
    };
    const queue = async (bytes) => {
      await writing;
      writing = writeAll(bytes);
      writing.catch(() => {
      });
    };
    let pending = "";
    const flush = (all) => {
      const keep = !all && isHighSurrogate(pending.charCodeAt(pending.length - 1)) ? 1 : 0;
      const text = pending.slice(0, pending.length - keep);
      pending = pending.slice(pending.length - keep);
      return queue(Buffer.from(text));
    };
    const add = (chunk) => {
      if (typeof chunk !== "string") return flush(true).then(() => queue(chunk));
      pending += chunk;
      return pending.length >= WRITE_SIZE ? flush(false) : void 0;
    };
    if (Symbol.asyncIterator in chunks) {
      for await (const chunk of chunks) await add(chunk);
    } else {
      for (const chunk of chunks) {
        const queued = add(chunk);
        if (queued) await queued;
      }
    }
    await flush(true);
    await writing;
  } finally {
    await writing.catch(() => {
    });
    await handle.close();
  }
}
function createReportWriter(dir) {
  const root = resolve2(dir);
  async function write(relativePath, content) {
    const target = resolve2(root, relativePath);
    const rel = relative2(root, target);
    if (rel === "" || rel.startsWith("..") || isAbsolute3(rel)) {
      throw new Error(`Report path "${relativePath}" is outside the reports directory ${root}`);
    }
    await mkdir(dirname2(target), { recursive: true });
    const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      if (typeof content === "string" || content instanceof Uint8Array) {
        await writeFile2(temp, content);
      } else {
        await writeChunks(temp, content);
      }
      await rename(temp, target);
    } catch (error2) {
      await rm(temp, { force: true });
      throw error2;
    }
    return target;
  }
  return Object.freeze({
    dir: root,
    write,
    writeJson: (relativePath, value) => write(relativePath, `${JSON.stringify(value, null, 2)}
`)
  });
}

// chaos-drill/src/chaostoolkit.ts
var provider = (command) => ({
  type: "process",
  path: "chaos-drill",
  arguments: command
});
var seconds = (from, to) => (Date.parse(to) - Date.parse(from)) / 1e3;
function steadyState(s, at) {
  if (!s) return null;
  return {
    steady_state_met: s.held,
    probes: s.probes.map((p) => ({
      activity: { type: "probe", name: p.name, provider: provider(p.name) },
      status: "succeeded",
      output: p.detail,
      start: at,
      end: s.at,
      duration: s.waitedMs / 1e3,
      tolerance_met: p.ok
    }))
  };
}
function ctkStatus(journal) {
  if (journal.verdict === "passed") return "completed";
  if (journal.verdict === "failed") return "failed";
  if (journal.reason?.startsWith("interrupted")) return "interrupted";
  if (journal.reason?.startsWith("the steady state does not hold before")) return "failed";
  return "aborted";
}
function toChaosToolkit(journal) {
  const e = journal.experiment;
  const f = journal.fault;
  const r = journal.recovery;
  const run2 = f ? [
    {
      activity: {
        type: "action",
        name: `${e.fault.action} ${e.fault.service}`,
        provider: provider(e.fault.command)
      },
      status: journal.measurements.faultAt === null ? "failed" : "succeeded",
      output: null,
      start: f.issuedAt,
      end: f.returnedAt,
      duration: seconds(f.issuedAt, f.returnedAt)
    }
  ] : [];
  const rollbacks = r ? [
    {
      activity: {
        type: "action",
        name: `recover ${e.fault.service}`,
        provider: provider(e.recovery.command)
      },
      status: r.ok ? "succeeded" : "failed",
      output: null,
      start: r.startedAt,
      end: r.returnedAt,
      duration: seconds(r.startedAt, r.returnedAt),
      ...r.error ? { exception: [r.error] } : {}
    }
  ] : [];
  const during = journal.expectations.map((x) => ({
    activity: {
      type: "probe",
      name: x.name,
      provider: provider(x.description),
      tolerance: x.boundMs ?? x.count?.bound ?? x.measure?.bound ?? null
    },
    status: "succeeded",
    output: x.detail,
    tolerance_met: x.passed
  }));
  return {
    "chaoslib-version": null,
    platform: "chaos-drill (docker compose)",
    experiment: {
      title: e.name,
      description: e.description,
      tags: ["chaos-drill", e.fault.action],
      "steady-state-hypothesis": { title: `${e.name} steady state` },
      method: run2.map((a) => a.activity),
      rollbacks: rollbacks.map((a) => a.activity)
    },
    start: journal.startedAt,
    end: journal.finishedAt,
    duration: journal.durationMs / 1e3,
    status: ctkStatus(journal),
    deviated: journal.verdict === "failed" && journal.expectations.some((x) => !x.passed),
    steady_states: {
      before: steadyState(journal.steadyStateBefore, journal.startedAt),
      after: steadyState(
        journal.steadyStateAfter,
        journal.recovery?.returnedAt ?? journal.finishedAt
      ),
      during
    },
    run: run2,
    rollbacks
  };
}

// chaos-drill/src/report.ts
var dur = (ms) => ms === null ? "—" : humanDuration(ms);
var pct = (ratio) => `${(ratio * 100).toFixed(1)} %`;
function timelineTable(journal) {
  return markdownTable(
    ["t (s from fault)", "time (UTC)", "source", "event"],
    journal.timeline.map((e) => [e.t.toFixed(3), e.at.slice(11, 23), e.source, e.event])
  );
}
function figuresTable(journal) {
  const m = journal.measurements;
  return markdownTable(
    ["figure", "value", "from"],
    [
      [
        `time to detect (fault → ${m.detectedBy ?? "first sign in Prometheus"})`,
        dur(m.timeToDetectMs),
        "Prometheus sample timestamp"
      ],
      [
        `${m.alert ?? "alert"} pending after`,
        dur(m.alertPendingAfterMs),
        "ALERTS sample / activeAt"
      ],
      [`${m.alert ?? "alert"} firing after`, dur(m.alertFiringAfterMs), "ALERTS sample timestamp"],
      [
        "frontend degraded after (first degraded answer)",
        dur(m.frontendDegradedAfterMs),
        "HTTP probe"
      ],
      [
        "time to recover (recovery start → recovered: the up query again, else the steady state)",
        dur(m.timeToRecoverMs),
        journal.expectations.find((x) => x.type === "recovery")?.source ?? "—"
      ],
      ["frontend OK again after recovery start", dur(m.frontendRecoveredAfterMs), "user load"],
      ["scrape interval seen", dur(m.scrapeIntervalMs), "spacing of raw up samples"],
      ["rule evaluation interval seen", dur(m.evaluationIntervalMs), "spacing of ALERTS samples"],
      ...journal.writes ? [
        ["notes acknowledged (201 + id)", String(journal.writes.acknowledged), "writer"],
        ["acknowledged notes lost (target 0)", String(journal.writes.lost), "read-back"],
        ["notes duplicated (target 0)", String(journal.writes.duplicated), "read-back"]
      ] : [],
      ["drill duration", dur(journal.durationMs), "drill clock"],
      ["resilience score", scoreText(journal), journal.score.formula]
    ]
  );
}
function scoreText(journal) {
  const s = journal.score;
  return s.percent === null ? "— (aborted)" : `${s.percent} % (${s.passedWeight} of ${s.totalWeight})`;
}
function boundAndMeasured(x) {
  if (x.measure)
    return [
      `≤ ${pct(x.measure.bound)}`,
      x.measure.measured === null ? "—" : pct(x.measure.measured)
    ];
  if (x.count)
    return [`≤ ${x.count.bound}`, x.count.measured === null ? "—" : String(x.count.measured)];
  return [dur(x.boundMs), dur(x.measuredMs)];
}
function writesText(journal) {
  const w = journal.writes;
  if (!w) return "No writer was configured for this experiment.";
  return [
    `${w.attempted} notes at ${w.ratePerSecond}/s to \`${w.url}\` (${w.requests} requests, retries with the same Idempotency-Key included): **${w.acknowledged} acknowledged, ${w.lost} lost, ${w.duplicated} duplicated**. ${w.acknowledgedAfterRetry} were acknowledged only after a retry, ${w.replayed} of them by a replay (the first attempt had committed but its answer was lost); ${w.unacknowledged} were never acknowledged (given up or refused), ${w.committedUnacknowledged} of those are stored anyway. Slowest acknowledgement ${dur(w.slowestAcknowledgementMs)}. Read-back ${w.verified ? "complete" : `INCOMPLETE (${w.problems.join("; ")})`}.`,
    ...w.lostWrites.slice(0, 10).map((l) => `- lost: \`${l.key}\` (id ${l.id}): ${l.reason}`),
    ...w.duplicatedWrites.slice(0, 10).map((d) => `- duplicated: "${d.text}" stored as ids ${d.ids.join(", ")}`)
  ].join("\n");
}
function expectationsTable(journal) {
  return markdownTable(
    ["expectation", "checks", "bound", "measured", "result", "weight"],
    journal.expectations.map((x) => [
      x.name,
      x.description,
      ...boundAndMeasured(x),
      x.passed ? "passed" : `**FAILED**: ${x.detail}`,
      String(x.weight)
    ])
  );
}
function impactText(journal) {
  const i = journal.impact;
  if (!i) return "No user load was configured for this experiment.";
  return `${i.requests} requests at ${i.ratePerSecond} req/s to \`${i.url}\`: ${i.failures} failed (${pct(i.errorRatio)}), ${i.degradedResponses} of them a JSON 503, ${i.timeouts} timed out; longest failure streak ${dur(i.longestFailureStreakMs)} (${i.longestFailureStreakRequests} requests); slowest response ${dur(i.slowestResponseMs)}.`;
}
function markdownReport(journal) {
  const e = journal.experiment;
  return [
    `# Chaos drill \`${e.name}\`: ${journal.verdict.toUpperCase()}`,
    "",
    `${e.description}`.trim(),
    "",
    markdownTable(
      ["", ""],
      [
        ["experiment", `\`${e.file}\``],
        ["fault", `${e.fault.noun}: \`${e.fault.command}\``],
        [
          "recovery",
          `${e.recovery.action}: \`${e.recovery.command}\`, bound ${dur(e.recovery.withinMs)}`
        ],
        ["project", `${journal.target.project} (Compose ${journal.target.composeVersion})`],
        ["started / finished", `${journal.startedAt} / ${journal.finishedAt}`],
        ["verdict", journal.verdict],
        ["resilience score", scoreText(journal)],
        ...journal.reason ? [["reason", journal.reason]] : []
      ]
    ),
    "",
    ...chartSection(journal, "##"),
    "## Figures",
    "",
    figuresTable(journal),
    "",
    "## Expectations",
    "",
    journal.expectations.length > 0 ? expectationsTable(journal) : "_None evaluated: no fault was injected._",
    "",
    "## User impact",
    "",
    impactText(journal),
    "",
    ...journal.writes ? ["## Writes", "", writesText(journal), ""] : [],
    "## Timeline",
    "",
    timelineTable(journal),
    "",
    ...journal.errors.length > 0 ? ["## Errors", "", ...journal.errors.map((x) => `- ${x}`), ""] : []
  ].join("\n");
}
function postmortem(journal) {
  const m = journal.measurements;
  const e = journal.experiment;
  const f = e.fault;
  const i = journal.impact;
  const failed = journal.expectations.filter((x) => !x.passed);
  const degraded = journal.expectations.filter((x) => x.type === "http-degraded");
  const alert = m.alert ?? "no alert";
  const status = journal.verdict === "passed" ? "Draft, drill passed" : `Draft, drill ${journal.verdict}`;
  const lasted = m.recoveryStartedAt && m.faultAt ? dur(Date.parse(m.recoveryStartedAt) - Date.parse(m.faultAt)) : "—";
  return [
    `# Post-mortem (draft): ${f.service} ${f.verb}, drill \`${e.name}\``,
    "",
    `**Date:** ${journal.startedAt.slice(0, 10)}  `,
    "**Authors:** chaos-drill (generated from the journal; edit before publishing)  ",
    `**Status:** ${status}  `,
    `**Resilience score:** ${scoreText(journal)}  `,
    `**Summary:** The ${f.service} service was ${f.verb} on purpose (${f.noun}: \`${f.command}\`) for ${lasted}. Prometheus detected it after ${dur(m.timeToDetectMs)}${m.detectedBy ? ` (${m.detectedBy})` : ""}, ${alert} was pending after ${dur(m.alertPendingAfterMs)} and firing after ${dur(m.alertFiringAfterMs)}; it was recovered ${dur(m.timeToRecoverMs)} after the recovery started.`,
    "",
    `**Impact:** ${impactText(journal)}${journal.writes ? ` Writes: ${journal.writes.acknowledged} notes acknowledged, ${journal.writes.lost} lost, ${journal.writes.duplicated} duplicated.` : ""}${degraded.length > 0 ? ` Degraded answers expected: ${degraded.map((x) => `${x.name} (${x.description}): ${x.passed ? "held" : "FAILED"}`).join("; ")}.` : ""}`,
    "",
    `**Root causes:** ${f.noun} of ${f.service}, with a single ${f.service} container and nothing to take over its work.`,
    "",
    `**Trigger:** \`${f.command}\` at ${m.faultAt ?? "—"}, injected by the drill.`,
    "",
    `**Resolution:** \`${e.recovery.command}\` at ${m.recoveryStartedAt ?? "—"}; recovered at ${m.recoveredAt ?? "—"}; user requests succeeded again ${dur(m.frontendRecoveredAfterMs)} after the recovery started.`,
    "",
    `**Detection:** Prometheus (scrape interval ${dur(m.scrapeIntervalMs)}, rule evaluation ${dur(m.evaluationIntervalMs)}): ${m.detectedBy ?? "nothing"} ${dur(m.timeToDetectMs)} after the fault, ${alert} pending at ${dur(m.alertPendingAfterMs)}, firing (sent to Alertmanager) at ${dur(m.alertFiringAfterMs)}.`,
    "",
    ...chartSection(journal, "##"),
    "## Action items",
    "",
    markdownTable(
      ["action item", "type", "owner", "status"],
      [
        ...failed.map((x) => [
          `Investigate why ${x.name} missed its bound (${x.detail})`,
          "investigate",
          "TBD",
          "open"
        ]),
        [
          `Run a second ${f.service} replica so that one ${f.verb} container is not an outage`,
          "prevent",
          "TBD",
          "open"
        ],
        ...degraded.filter((x) => x.passed).map((x) => [
          `Callers get a fast degraded answer instead of hanging (${x.name})`,
          "mitigate",
          "TBD",
          "done"
        ]),
        [
          "Keep this drill in CI so time to detect and recover are measured on every change",
          "process",
          "TBD",
          "done"
        ]
      ]
    ),
    "",
    "## Lessons learned",
    "",
    "**What went well**",
    "",
    ...journal.expectations.filter((x) => x.passed).map((x) => `- ${x.name}: ${x.detail}`),
    "",
    "**What went wrong**",
    "",
    ...failed.length > 0 ? failed.map((x) => `- ${x.name}: ${x.detail}`) : [`- Users saw errors while the ${f.service} was ${f.verb}: there is no redundancy.`],
    ...i && i.failures > 0 ? [`- ${i.failures} of ${i.requests} user requests failed (${pct(i.errorRatio)}).`] : [],
    "",
    "**Where we got lucky**",
    "",
    "- The fault was injected on purpose, with the recovery command ready.",
    "",
    "## Timeline",
    "",
    timelineTable(journal),
    "",
    "## Supporting information",
    "",
    `- Journal: \`journal.json\` next to this file (schema: observability/drills/journal.schema.json).`,
    `- Experiment: \`${e.file}\`.`,
    ""
  ].join("\n");
}
var MAX_POINTS = 48;
function bucketSeries(series, width) {
  const out = /* @__PURE__ */ new Map();
  for (const p of series) {
    const t = Math.floor(p.t / width) * width;
    const b = out.get(t);
    out.set(
      t,
      b ? {
        t,
        requests: b.requests + p.requests,
        failures: b.failures + p.failures,
        slowestMs: Math.max(b.slowestMs, p.slowestMs)
      } : { ...p, t }
    );
  }
  return [...out.values()].sort((a, b) => a.t - b.t);
}
function timelineChart(journal) {
  if (journal.series.length === 0) return "";
  const span = (journal.series.at(-1)?.t ?? 0) - (journal.series[0]?.t ?? 0) + 1;
  const width = Math.max(1, Math.ceil(span / MAX_POINTS));
  const points = bucketSeries(journal.series, width);
  const m = journal.measurements;
  const at = (iso) => iso && m.faultAt ? Math.floor((Date.parse(iso) - Date.parse(m.faultAt)) / 1e3 / width) * width : void 0;
  const marks = /* @__PURE__ */ new Map();
  for (const [label, t] of [
    ["F", 0],
    ["D", at(m.detectedAt)],
    ["R", at(m.recoveryStartedAt)]
  ])
    if (t !== void 0) marks.set(t, [...marks.get(t) ?? [], label]);
  const axis = points.map(
    (p) => `"${p.t}${marks.has(p.t) ? ` ${(marks.get(p.t) ?? []).join("")}` : ""}"`
  );
  const success = points.map(
    (p) => p.requests === 0 ? 0 : Math.round(100 * (p.requests - p.failures) / p.requests)
  );
  const slowest = points.map((p) => p.slowestMs);
  const xAxis = `  x-axis "s from the fault (${width} s buckets; F fault, D detected, R recovery)" [${axis.join(", ")}]`;
  return [
    "```mermaid",
    "xychart-beta",
    `  title "User load: success rate (%)"`,
    xAxis,
    '  y-axis "success %" 0 --> 100',
    `  line [${success.join(", ")}]`,
    "```",
    "",
    "```mermaid",
    "xychart-beta",
    `  title "User load: slowest response (ms)"`,
    xAxis,
    `  y-axis "ms" 0 --> ${Math.max(10, ...slowest)}`,
    `  bar [${slowest.join(", ")}]`,
    "```"
  ].join("\n");
}
function chartSection(journal, level) {
  const chart = timelineChart(journal);
  return chart ? [`${level} Timeline chart`, "", chart, ""] : [];
}
function xml(text) {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c
  );
}
function junitXml(journal) {
  const name = `chaos-drill.${journal.experiment.name}`;
  const cases = journal.expectations.map((x) => {
    const time = ((x.measuredMs ?? 0) / 1e3).toFixed(3);
    const body = x.passed ? "" : `
      <failure message="${xml(x.detail)}" type="${xml(x.type)}">${xml(`${x.description}
bound ${boundAndMeasured(x)[0]}, measured ${boundAndMeasured(x)[1]}`)}</failure>
    `;
    return `    <testcase classname="${xml(name)}" name="${xml(x.name)}" time="${time}">${body}</testcase>`;
  });
  if (journal.verdict === "aborted") {
    cases.push(
      `    <testcase classname="${xml(name)}" name="drill"><error message="${xml(journal.reason ?? "aborted")}" type="aborted"/></testcase>`
    );
  }
  const failures = journal.expectations.filter((x) => !x.passed).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="chaos-drill" tests="${cases.length}" failures="${failures}" errors="${journal.verdict === "aborted" ? 1 : 0}" time="${(journal.durationMs / 1e3).toFixed(3)}">`,
    `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${failures}" errors="${journal.verdict === "aborted" ? 1 : 0}" time="${(journal.durationMs / 1e3).toFixed(3)}" timestamp="${journal.startedAt}">`,
    ...cases,
    "  </testsuite>",
    "</testsuites>",
    ""
  ].join("\n");
}
function jobSummary(journal) {
  return markdownReport(journal).replace(/^# /, "### ").replace(/^## /gm, "#### ");
}

// chaos-drill/src/output.ts
function runFolder(journal) {
  return `${journal.experiment.name}-${journal.startedAt.replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
}
async function writeDrillFiles(reportsDir, journal, options) {
  const writer = createReportWriter(join(reportsDir, runFolder(journal)));
  const files = {
    dir: writer.dir,
    journal: await writer.writeJson("journal.json", journal),
    report: await writer.write("report.md", markdownReport(journal)),
    postmortem: await writer.write("postmortem.md", postmortem(journal)),
    chaostoolkit: await writer.writeJson("chaostoolkit-journal.json", toChaosToolkit(journal))
  };
  return options.junit ? { ...files, junit: await writer.write("junit.xml", junitXml(journal)) } : files;
}

// chaos-drill/src/main.ts
var seconds2 = (ms) => ms === null ? "" : (ms / 1e3).toFixed(3);
async function run(deps = { env: process.env, exec: createExec(), clock: systemClock }) {
  const controller = new AbortController();
  const release = abortOnSignals(controller, (line) => warning(line));
  try {
    const inputs = readInputs(
      envInputSource(deps.env),
      deps.env,
      deps.env.GITHUB_WORKSPACE ?? process.cwd()
    );
    info(`Docker engine ${await checkDockerEngine(deps.exec)}`);
    const { experiment, deps: drillDeps } = await prepareDrill(
      {
        experimentFile: inputs.experiment,
        composeFiles: inputs.composeFiles,
        projectName: inputs.projectName,
        urls: inputs.urls,
        overrides: inputs.overrides,
        // A fault left by a crashed run is undone by the next run on the same reports dir.
        stateDir: join2(inputs.reportsDir, ".in-flight")
      },
      {
        exec: deps.exec,
        clock: deps.clock,
        log: (line) => info(line),
        signal: controller.signal,
        ...deps.fetch ? { fetch: deps.fetch } : {}
      }
    );
    const { runDrill } = await import("./chunks/drill-QRWGZWT5.js");
    const journal = await group(
      `Chaos drill ${experiment.name} on project ${inputs.projectName}`,
      () => runDrill(experiment, drillDeps)
    );
    const files = await writeDrillFiles(inputs.reportsDir, journal, { junit: inputs.junit });
    const m = journal.measurements;
    setOutput("verdict", journal.verdict);
    setOutput("time-to-detect", seconds2(m.timeToDetectMs));
    setOutput("time-to-recover", seconds2(m.timeToRecoverMs));
    setOutput("alert-pending-after", seconds2(m.alertPendingAfterMs));
    setOutput("alert-firing-after", seconds2(m.alertFiringAfterMs));
    setOutput(
      "resilience-score",
      journal.score.percent === null ? "" : String(journal.score.percent)
    );
    const w = journal.writes;
    setOutput("writes-acknowledged", w ? String(w.acknowledged) : "");
    setOutput("writes-lost", w ? String(w.lost) : "");
    setOutput("writes-duplicated", w ? String(w.duplicated) : "");
    setOutput("reports-dir", files.dir);
    setOutput("journal", files.journal);
    setOutput("report", files.report);
    setOutput("postmortem", files.postmortem);
    setOutput("junit", files.junit ?? "");
    await summary.addRaw(jobSummary(journal)).write();
    info(`Journal ${files.journal}
Report ${files.report}
Post-mortem ${files.postmortem}`);
    if (journal.verdict !== "passed")
      setFailed(`Chaos drill ${experiment.name} ${journal.verdict}: ${journal.reason ?? ""}`);
  } catch (error2) {
    setFailed(errorMessage(error2));
  } finally {
    release();
  }
}

// chaos-drill/src/index.ts
await run();
