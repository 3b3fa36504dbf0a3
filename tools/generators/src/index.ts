export { connectorGenerator } from './connector/connector.generator';
export { serviceGenerator } from './service/service.generator';
