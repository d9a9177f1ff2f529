// The address rules and the connect-time public-only lookup live in the outbound connection
// factory (src/glm/outbound.ts); media code and its tests import them from here.
export {
  createPublicOnlyLookup,
  isPrivateAddress,
  PrivateAddressError,
  setResolverForTests,
  treatAsPublicForTests,
  type ConnectLookup,
  type Resolver,
} from "../glm/outbound.js";
