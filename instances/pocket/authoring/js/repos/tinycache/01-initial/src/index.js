export { LRUCache } from './cache.js';
