// An outside client for ContractIT, the way a SCADA or cloud system reads EdgeHA: an MQTT 5 client (the npm
// package mqtt) that subscribes to topic filters and checks every message against docs/asyncapi.yaml, and a checker
// of what mosquitto_sub printed. One JSON line per message on standard output:
//   {"client":"mqtt.js"|"mosquitto_sub","topic":…,"retained":…,"channel":…,"contentType":…,"utf8":…,"payload":…,
//    "valid":true|false,"errors":[…]}
// A topic that no channel of the contract matches is reported with "channel":null and "valid":false.
//
//   node contract-client.mjs subscribe ASYNCAPI BROKER_URL REPLY_TOPIC FILTER...   (until SIGTERM; "ready" first;
//        credentials from MQTT_USERNAME and MQTT_PASSWORD)
//   node contract-client.mjs check ASYNCAPI REPLY_TOPIC FILE      (FILE: mosquitto_sub -F '%r %t %p' lines)
import fs from 'node:fs';
import readline from 'node:readline';
import AjvModule from 'ajv';
import * as mqttModule from 'mqtt';
import YAML from 'yaml';

const Ajv = AjvModule.default ?? AjvModule;
const mqtt = mqttModule.default ?? mqttModule;

const [mode, asyncapiPath, ...rest] = process.argv.slice(2);
const doc = YAML.parse(fs.readFileSync(asyncapiPath, 'utf8'));
const ajv = new Ajv({strict: false, allErrors: true});
ajv.addSchema({$id: 'asyncapi', components: {schemas: doc.components.schemas}});

// Channels, most specific first; {responseTopic} is whatever topic the operator chose (REPLY_TOPIC here).
const channels = Object.entries(doc.channels).map(([name, c]) => {
  const messageRef = Object.values(c.messages)[0].$ref;
  const message = doc.components.messages[messageRef.split('/').pop()];
  const payloadRef = message.payload.$ref;
  const pattern = c.address.split('/').map(level => /^\{.+\}$/.test(level) ? '[^/]+'
      : level.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('/');
  return {
    name, address: c.address, contentType: message.contentType,
    regex: c.address === '{responseTopic}' ? null : new RegExp('^' + pattern + '$'),
    validate: payloadRef ? ajv.getSchema('asyncapi' + payloadRef) : null,
  };
});

function channelOf(topic, replyTopic) {
  return channels.find(c => c.regex ? c.regex.test(topic) : topic === replyTopic) ?? null;
}

function check(client, topic, retained, payload, properties, replyTopic) {
  const channel = channelOf(topic, replyTopic);
  const record = {client, topic, retained, channel: channel?.name ?? null,
    contentType: properties?.contentType ?? null, utf8: properties?.payloadFormatIndicator ?? null,
    payload: payload.toString('utf8'), valid: false, errors: []};
  if (!channel) {
    record.errors.push('no channel of the contract matches this topic');
  } else if (payload.length === 0) {
    record.valid = true; // a retained message cleared, or an empty marker
  } else if (channel.contentType !== 'application/json') {
    record.valid = true; // not JSON by contract (frames, markers, requests): nothing to validate
  } else {
    let json;
    try {
      json = JSON.parse(payload.toString('utf8'));
    } catch (e) {
      record.errors.push('not JSON: ' + e.message);
    }
    if (json !== undefined) {
      record.valid = channel.validate(json);
      if (!record.valid) {
        record.errors = channel.validate.errors.map(e => `${e.instancePath || '/'} ${e.message}`);
      }
    }
  }
  process.stdout.write(JSON.stringify(record) + '\n');
}

if (mode === 'subscribe') {
  const [url, replyTopic, ...filters] = rest;
  const client = mqtt.connect(url, {protocolVersion: 5, clean: true, reconnectPeriod: 100,
    clientId: 'contract-mqttjs-' + process.pid, username: process.env.MQTT_USERNAME,
    password: process.env.MQTT_PASSWORD});
  client.on('connect', () => {
    client.subscribe(filters.map(f => ({topic: f, qos: 1})).reduce((o, s) => ({...o, [s.topic]: {qos: 1}}), {}),
        (err, granted) => process.stdout.write(JSON.stringify(err || granted.some(g => g.qos >= 0x80)
            ? {error: String(err ?? 'subscription refused'), granted} : {ready: true}) + '\n'));
  });
  client.on('message', (topic, payload, packet) =>
    check('mqtt.js', topic, packet.retain, payload, packet.properties, replyTopic));
  client.on('error', e => process.stderr.write('mqtt.js: ' + e.message + '\n'));
  process.on('SIGTERM', () => client.end(true, () => process.exit(0)));
} else if (mode === 'check') {
  const [replyTopic, file] = rest;
  const lines = readline.createInterface({input: fs.createReadStream(file)});
  for await (const line of lines) {
    if (line.length === 0) continue;
    const first = line.indexOf(' ');
    const second = line.indexOf(' ', first + 1);
    const topic = second < 0 ? line.slice(first + 1) : line.slice(first + 1, second);
    const payload = Buffer.from(second < 0 ? '' : line.slice(second + 1), 'utf8');
    check('mosquitto_sub', topic, line.slice(0, first) === '1', payload, null, replyTopic);
  }
} else {
  process.stderr.write('usage: contract-client.mjs subscribe|check …\n');
  process.exit(2);
}
