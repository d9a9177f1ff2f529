// The conversation contract on Redis (a real redis-server; replicas are two store instances on one
// Redis). Needs the binary: runs in npm run test:replicas (vitest.replicas.config.ts).
import { afterAll, beforeAll, describe } from "vitest";
import { RedisConversations } from "../../src/store/redis-conversations.js";
import { connectRedis, type RedisLink } from "../../src/store/redis-connection.js";
import { createLogger } from "../../src/log.js";
import { conversationContract, LIMITS, type Make } from "../helpers/conversation-contract.js";
import { startRedis, type RedisServer } from "../helpers/redis-server.js";

let redis: RedisServer;
const links: RedisLink[] = [];
let n = 0;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  for (const l of links) await l.close();
  await redis.stop();
});

const shared: Make = async (limits) => {
  const prefix = `t${++n}`;
  const make = async () => {
    const link = await connectRedis(redis.url, redis.url, createLogger("silent"));
    links.push(link);
    return new RedisConversations(link, prefix, redis.url, { ...LIMITS, ...limits });
  };
  return [await make(), await make()];
};

describe("conversations in redis", () => conversationContract(shared));
