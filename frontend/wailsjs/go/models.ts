export namespace service {
	
	export class AppInfo {
	    name: string;
	    version: string;
	
	    static createFrom(source: any = {}) {
	        return new AppInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.version = source["version"];
	    }
	}

}

export namespace wire {
	
	export class ChecksumFold {
	    before: number;
	    carry: number;
	    after: number;
	
	    static createFrom(source: any = {}) {
	        return new ChecksumFold(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.before = source["before"];
	        this.carry = source["carry"];
	        this.after = source["after"];
	    }
	}
	export class ChecksumStep {
	    offset: number;
	    word: number;
	    sum: number;
	    note?: string;
	
	    static createFrom(source: any = {}) {
	        return new ChecksumStep(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offset = source["offset"];
	        this.word = source["word"];
	        this.sum = source["sum"];
	        this.note = source["note"];
	    }
	}
	export class ChecksumTrace {
	    steps: ChecksumStep[];
	    folds: ChecksumFold[];
	    sum: number;
	    result: number;
	
	    static createFrom(source: any = {}) {
	        return new ChecksumTrace(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.steps = this.convertValues(source["steps"], ChecksumStep);
	        this.folds = this.convertValues(source["folds"], ChecksumFold);
	        this.sum = source["sum"];
	        this.result = source["result"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChecksumReport {
	    layer: string;
	    fieldOffset: number;
	    start: number;
	    end: number;
	    pseudoHeader: boolean;
	    received: number;
	    computed: number;
	    correct: boolean;
	    verifiable: boolean;
	    trace: ChecksumTrace;
	
	    static createFrom(source: any = {}) {
	        return new ChecksumReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.layer = source["layer"];
	        this.fieldOffset = source["fieldOffset"];
	        this.start = source["start"];
	        this.end = source["end"];
	        this.pseudoHeader = source["pseudoHeader"];
	        this.received = source["received"];
	        this.computed = source["computed"];
	        this.correct = source["correct"];
	        this.verifiable = source["verifiable"];
	        this.trace = this.convertValues(source["trace"], ChecksumTrace);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Field {
	    layer: string;
	    name: string;
	    offset: number;
	    length: number;
	    bitOffset?: number;
	    bitLength?: number;
	    value: string;
	    meaning: string;
	    depth?: number;
	
	    static createFrom(source: any = {}) {
	        return new Field(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.layer = source["layer"];
	        this.name = source["name"];
	        this.offset = source["offset"];
	        this.length = source["length"];
	        this.bitOffset = source["bitOffset"];
	        this.bitLength = source["bitLength"];
	        this.value = source["value"];
	        this.meaning = source["meaning"];
	        this.depth = source["depth"];
	    }
	}
	export class Report {
	    summary: string;
	    length: number;
	    hex: string;
	    layers: string[];
	    fields: Field[];
	    checksums: ChecksumReport[];
	    warnings: string[];
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Report(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.summary = source["summary"];
	        this.length = source["length"];
	        this.hex = source["hex"];
	        this.layers = source["layers"];
	        this.fields = this.convertValues(source["fields"], Field);
	        this.checksums = this.convertValues(source["checksums"], ChecksumReport);
	        this.warnings = source["warnings"];
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

