"use strict";
/**
 * Generated from openapi/imini.yaml by openapi-typescript (npm run generate). Do not edit.
 */
Object.defineProperty(exports, "__esModule", { value: true });
