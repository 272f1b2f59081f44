// better-sqlite3 compiles from source where its prebuilt binary cannot be downloaded, and node-gyp then
// downloads Node's headers too, which fails on a machine that reaches only the package registry. Point
// node-gyp at the headers installed beside the running Node when they exist (Debian's nodejs-dev,
// nodejs.org tarballs, nvm), unless the user has chosen a folder already.
const fs = require('node:fs')
const path = require('node:path')

const prefix = path.dirname(path.dirname(process.execPath))
const installed = fs.existsSync(path.join(prefix, 'include', 'node', 'node.h'))

module.exports = {
  hooks: {
    updateConfig(config) {
      if (!installed || process.env.npm_config_nodedir) return config
      return { ...config, extraEnv: { ...config.extraEnv, npm_config_nodedir: prefix } }
    },
  },
}
